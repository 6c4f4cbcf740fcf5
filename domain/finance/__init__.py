"""Finance: the journal (凭证), payables and receivables, booked in the same transaction as each posting."""
