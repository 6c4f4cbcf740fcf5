"""Forecast-driven replenishment (补货): demand history, covariates, order-up-to rules and suggestions."""
