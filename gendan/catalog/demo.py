"""Demo products (to be filled in): categories, finished goods with packing, variants and BOMs."""


def seed(ctx) -> None:
    ctx.say("  0 products")
