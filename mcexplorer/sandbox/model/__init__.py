"""The demo account's domain operations over the store, free of HTTP.

Handlers in `resources/` parse the request, call these and render the result; batches
and the seed use the same operations, so every way in behaves alike.
"""
