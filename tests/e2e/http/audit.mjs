// graphql-http's server audits (the GraphQL-over-HTTP spec's conformance suite) against a live server.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
// Prints one JSON object: {"passed": n, "warnings": n, "failures": n, "results": [{id, name, status, reason}]}.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}
const results = await auditServer({ url });
const count = (status) => results.filter((r) => r.status === status).length;
const summary = {
  passed: count('ok'),
  warnings: count('warn'),
  failures: count('error'),
  results: results.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    reason: r.status === 'ok' ? null : r.reason,
  })),
};
console.log(JSON.stringify(summary));
