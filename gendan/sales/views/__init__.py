"""Pages of the sales app: orders (``orders``, ``order_actions``) and quotations (``quotations``)."""
