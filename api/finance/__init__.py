"""GraphQL for the finance area: the chart, the journal, bills, invoices, payments and reports."""
