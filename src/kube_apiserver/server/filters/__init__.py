"""The filter chain: ASGI wrappers, one per module, assembled in server/chain.py."""
