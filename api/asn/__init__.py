"""GraphQL of supplier collaboration: acknowledgements, advance shipping notices, receipts from them."""
