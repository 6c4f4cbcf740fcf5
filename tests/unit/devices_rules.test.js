// node --test: the handheld's edge rules against the shared vectors (the Python side runs the same file).
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const rules = require(path.join(__dirname, "..", "..", "supplier_portal", "static", "handheld", "rules.js"));
const { vectors } = require(path.join(__dirname, "..", "data", "edge_rules.json"));

for (const v of vectors) {
  test(v.name, () => {
    const got = rules.evaluate(v.scan, v.context, v.config).map((f) => f.code);
    assert.deepStrictEqual(got, v.expected);
  });
}
