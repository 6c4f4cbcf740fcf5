// Edge rules for the handheld, the same as domain/devices/rules.py (one set of test vectors,
// tests/data/edge_rules.json, runs against both). Pure: a scan and a context in, findings out.
// Works in the browser (window.LotlineRules) and in node (module.exports) for the tests.
(function (root) {
  "use strict";
  const DEFAULTS = { version: 1, near_expiry_days: 3 };

  function addDays(isoDate, days) {
    const d = new Date(isoDate + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function finding(code, severity, zh, en) {
    return { code: code, severity: severity, message_zh: zh, message_en: en };
  }

  // ISO dates (YYYY-MM-DD) compare as strings.
  function evaluate(scan, ctx, config) {
    const cfg = Object.assign({}, DEFAULTS, config || {});
    const out = [];
    if (ctx.bin_frozen) {
      out.push(finding("FROZEN_BIN", "block", "库位 " + scan.bin_code + " 盘点中，已冻结", "bin " + scan.bin_code + " is frozen by a count"));
    }
    if (ctx.expected_bin != null && scan.bin_code !== ctx.expected_bin) {
      out.push(finding("WRONG_BIN", "block", "库位错误：应为 " + ctx.expected_bin, "wrong bin: expected " + ctx.expected_bin));
    }
    if (ctx.expected_sku != null && scan.sku_code !== ctx.expected_sku) {
      out.push(finding("WRONG_SKU", "block", "商品错误：应为 " + ctx.expected_sku, "wrong SKU: expected " + ctx.expected_sku));
    }
    const status = ctx.batch_status || "available";
    if (status !== "available") {
      out.push(finding("NOT_AVAILABLE", "block", "批次状态 " + status + "，不可拣货", "lot is " + status + ", not pickable"));
    }
    const expiry = ctx.expiry_date || null;
    if (expiry != null && expiry < ctx.today) {
      out.push(finding("EXPIRED", "block", "已过保质期 " + expiry, "expired on " + expiry));
    }
    const near = addDays(ctx.today, Number(cfg.near_expiry_days));
    if (expiry != null && ctx.today <= expiry && expiry <= near) {
      out.push(finding("NEAR_EXPIRY", "warn", "临期：" + expiry + " 到期", "near expiry: " + expiry));
    }
    if (ctx.expected_lot != null && scan.lot_code !== ctx.expected_lot) {
      out.push(finding("OTHER_LOT", "warn", "非建议批次（建议 " + ctx.expected_lot + "），需填写原因", "not the suggested lot (" + ctx.expected_lot + "): give a reason"));
    }
    if ((ctx.bin_lots || []).some(function (lot) { return lot !== scan.lot_code; })) {
      out.push(finding("MIXED_LOTS", "warn", "该库位混放多个批次", "the bin holds several lots of this SKU"));
    }
    return out;
  }

  const api = { DEFAULTS: DEFAULTS, evaluate: evaluate };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; } else { root.LotlineRules = api; }
})(typeof self !== "undefined" ? self : this);
