"""The offline console: the real bot, cogs and database driven in-process through simcord."""
