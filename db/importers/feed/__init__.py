"""NASCAR's public JSON feed (cf.nascar.com): our own small client, parsers and the sync into the store."""
