"""How the T&A hears what other apps did: one module per publishing app, each subscribing
handlers to that app's domain events (``core.domain_events``). ``TrackingConfig.ready``
imports this package, which imports every module in it."""

import pkgutil
from importlib import import_module

for _module in pkgutil.iter_modules(__path__):
    import_module(f"{__name__}.{_module.name}")
