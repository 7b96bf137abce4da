-- PostgreSQL twin of sqlite/0004_delivery_owner.sql.
ALTER TABLE deliveries ADD COLUMN owner TEXT;
