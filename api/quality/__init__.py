"""Quality GraphQL: batch alerts (cold-chain excursions) and the sensor readings postings carry."""
