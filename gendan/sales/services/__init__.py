"""Sales use cases, one module per subdomain: quotations, orders, revisions (change orders), documents."""
