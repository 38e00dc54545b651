"""Building the client: browser runtimes, bundles, asset hashing (server side only)."""
