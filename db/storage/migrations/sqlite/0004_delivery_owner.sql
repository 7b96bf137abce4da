-- Which running alert service claimed a delivery, so another process never mistakes a live
-- claim for one left by a crash (see bot/alerts/owner.py).
ALTER TABLE deliveries ADD COLUMN owner TEXT;
