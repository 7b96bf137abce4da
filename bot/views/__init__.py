"""Views and buttons. Buttons carry what they need in their custom_id, so they work after a restart."""
