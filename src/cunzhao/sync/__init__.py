"""Follow sources: keep the archive current from feeds, listings, sitemaps and the Wayback
Machine, and tell people what is new (``sync.notify``)."""
