"""Expiry actions (保质期 / 最佳赏味期): near-expiry alerts, expiring batches, promotion proposals."""
