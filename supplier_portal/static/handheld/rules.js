// Edge rules for the handheld, the same as domain/devices/rules.py (one set of test vectors,
// tests/data/edge_rules.json, runs against both). Pure: a scan and a context in, findings out.
// Works in the browser (window.LotlineRules) and in node (module.exports) for the tests.
(function (root) {
  "use strict";
  const DEFAULTS = { version: 2, near_expiry_days: 3 };

  // A path lies in a zone when it is the zone or below it; no zones: the whole warehouse.
  function inZones(path, zones) {
    if (!zones || zones.length === 0) return true;
    return zones.some(function (z) { return path === z || path.startsWith(z.replace(/\/+$/, "") + "/"); });
  }

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
    const op = ctx.operation || "pick";
    const toBin = scan.to_bin_code == null ? null : scan.to_bin_code;
    [[scan.bin_code, ctx.bin_path], [toBin, ctx.to_bin_path]].forEach(function (pair) {
      if (pair[0] != null && pair[1] != null && !inZones(pair[1], ctx.zones || [])) {
        out.push(finding("OUT_OF_ZONE", "block", "库位 " + pair[0] + " 不在本设备的作业区域", "bin " + pair[0] + " is outside this device's zones"));
      }
    });
    if (op === "count" && !ctx.bin_frozen) {
      out.push(finding("NOT_COUNTING", "block", "库位 " + scan.bin_code + " 不在进行中的盘点", "bin " + scan.bin_code + " is not in an open count"));
    }
    const frozen = op === "count" ? [] : [[scan.bin_code, !!ctx.bin_frozen]];
    if (op === "move" && toBin != null) frozen.push([toBin, !!ctx.to_bin_frozen]);
    frozen.forEach(function (pair) {
      if (pair[1]) out.push(finding("FROZEN_BIN", "block", "库位 " + pair[0] + " 盘点中，已冻结", "bin " + pair[0] + " is frozen by a count"));
    });
    if (op === "move" && toBin === scan.bin_code) {
      out.push(finding("SAME_BIN", "block", "目标库位与来源相同", "the target bin is the source bin"));
    }
    if (ctx.expected_bin != null && scan.bin_code !== ctx.expected_bin) {
      out.push(finding("WRONG_BIN", "block", "库位错误：应为 " + ctx.expected_bin, "wrong bin: expected " + ctx.expected_bin));
    }
    if (ctx.expected_sku != null && scan.sku_code !== ctx.expected_sku) {
      out.push(finding("WRONG_SKU", "block", "商品错误：应为 " + ctx.expected_sku, "wrong SKU: expected " + ctx.expected_sku));
    }
    const status = ctx.batch_status || "available";
    if ((op === "pick" || op === "move") && status !== "available") {
      const pick = op === "pick";
      out.push(finding("NOT_AVAILABLE", "block", "批次状态 " + status + "，不可" + (pick ? "拣货" : "移库"), "lot is " + status + ", not " + (pick ? "pickable" : "movable")));
    }
    const expiry = ctx.expiry_date || null;
    const dated = op !== "count"; // a count records what is there, expired or not
    if (dated && expiry != null && expiry < ctx.today) {
      out.push(finding("EXPIRED", "block", "已过保质期 " + expiry, "expired on " + expiry));
    }
    const near = addDays(ctx.today, Number(cfg.near_expiry_days));
    if (dated && expiry != null && ctx.today <= expiry && expiry <= near) {
      out.push(finding("NEAR_EXPIRY", "warn", "临期：" + expiry + " 到期", "near expiry: " + expiry));
    }
    if (ctx.expected_lot != null && scan.lot_code !== ctx.expected_lot) {
      out.push(finding("OTHER_LOT", "warn", "非建议批次（建议 " + ctx.expected_lot + "），需填写原因", "not the suggested lot (" + ctx.expected_lot + "): give a reason"));
    }
    if (op !== "count" && (ctx.bin_lots || []).some(function (lot) { return lot !== scan.lot_code; })) {
      out.push(finding("MIXED_LOTS", "warn", "该库位混放多个批次", "the bin holds several lots of this SKU"));
    }
    return out;
  }

  const api = { DEFAULTS: DEFAULTS, evaluate: evaluate, inZones: inZones };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; } else { root.LotlineRules = api; }
})(typeof self !== "undefined" ? self : this);
