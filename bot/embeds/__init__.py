"""Pure builders: models in, discord.Embed / View out. No I/O here."""
