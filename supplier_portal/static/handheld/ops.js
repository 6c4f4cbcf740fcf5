// Receive, count, move and wave picking on the handheld: each scan checked on the spot by the shared
// edge rules (rules.js, the same as the server's), then queued with the device's next sequence number and
// synced like a pick. The server checks again (zones included) and holds what it refuses as an exception.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const core = window.handheldCore;
  const store = window.localStorage;

  function blocked(findings) {
    core.showFindings(findings);
    return findings.some((f) => f.severity === "block");
  }

  function binOf(code) {
    const b = core.known().bins[code];
    return b ? b : { path: null, frozen: false };
  }

  function lotOf(skuCode, lotCode) {
    return core.known().lots[skuCode + "|" + lotCode] || {};
  }

  async function queued(kind, payload, findings) {
    await core.queue(kind, payload);
    core.sync();
    return findings;
  }

  // Receives a PO line (or an ASN line: {asnLineId}) into a bin; the GS1 item gives lot, expiry, GTIN.
  async function receive(ref, binCode, itemText, quantity) {
    const item = core.parseItem(itemText);
    const known = core.known();
    const bin = binOf(binCode);
    const findings = LotlineRules.evaluate(
      { bin_code: binCode, sku_code: "", lot_code: item.lot || "", quantity: String(quantity) },
      { operation: "receive", today: core.today(), expiry_date: item.expiry || null, bin_frozen: bin.frozen,
        zones: known.zones, bin_path: bin.path },
      known.rules
    );
    if (blocked(findings)) return findings;
    const payload = { binCode: binCode, lotCode: item.lot || "", quantity: String(quantity), gtin: item.gtin || "" };
    if (item.expiry) payload.expiryDate = item.expiry;
    if (item.bestBefore) payload.bestBeforeDate = item.bestBefore;
    if (ref.asnLineId) payload.asnLineId = ref.asnLineId; else payload.orderLineId = ref.orderLineId;
    return queued("receive", payload, findings);
  }

  // Counts a lot in a bin of an open count; scans of the same lot and bin add up on the sheet.
  async function count(countId, binCode, skuCode, itemText, quantity) {
    const item = core.parseItem(itemText);
    const known = core.known();
    const bin = binOf(binCode);
    const sheet = known.counts.find((c) => atob(c.id).split(":")[1] === String(countId) || c.number === countId);
    const counting = !!sheet && sheet.binCodes.indexOf(binCode) >= 0 && bin.frozen;
    const findings = LotlineRules.evaluate(
      { bin_code: binCode, sku_code: skuCode, lot_code: item.lot || "", quantity: String(quantity) },
      { operation: "count", today: core.today(), bin_frozen: counting, zones: known.zones, bin_path: bin.path },
      known.rules
    );
    if (blocked(findings)) return findings;
    const id = sheet ? atob(sheet.id).split(":")[1] : countId;
    return queued("count", { countId: Number(id), binCode: binCode, skuCode: skuCode, lotCode: item.lot || "", quantity: String(quantity) }, findings);
  }

  // Moves a lot from one bin to another of the warehouse.
  async function move(fromBin, toBin, skuCode, itemText, quantity) {
    const item = core.parseItem(itemText);
    const known = core.known();
    const from = binOf(fromBin);
    const to = binOf(toBin);
    const lot = lotOf(skuCode, item.lot || "");
    const findings = LotlineRules.evaluate(
      { bin_code: fromBin, sku_code: skuCode, lot_code: item.lot || "", quantity: String(quantity), to_bin_code: toBin },
      { operation: "move", today: core.today(), batch_status: lot.status || "available", expiry_date: lot.expiryDate || null,
        bin_frozen: from.frozen, to_bin_frozen: to.frozen, zones: known.zones, bin_path: from.path, to_bin_path: to.path },
      known.rules
    );
    if (blocked(findings)) return findings;
    return queued("move", { binCode: fromBin, toBinCode: toBin, skuCode: skuCode, lotCode: item.lot || "", quantity: String(quantity) }, findings);
  }

  // Loads a wave's walk (online) and keeps it for offline picking: stops in bin path order.
  async function loadWave(waveId) {
    const data = await core.gql(
      "query($id: ID!) { pickWave(id: $id) { number status stops { binCode skuCode lotCode quantity lineIds } } }",
      { id: btoa("PickWave:" + waveId) }
    );
    const wave = Object.assign({ id: Number(waveId), done: [] }, data.pickWave);
    store.setItem("wave", JSON.stringify(wave));
    renderWave();
    return wave;
  }

  function currentWave() { return JSON.parse(store.getItem("wave") || "null"); }

  function renderWave() {
    const wave = currentWave();
    const box = $("stops");
    if (!box) return;
    box.textContent = "";
    if (!wave) return;
    wave.stops.forEach((s, i) => {
      const d = document.createElement("div");
      d.className = "line" + (wave.done.indexOf(i) >= 0 ? " picked" : "");
      d.textContent = (i + 1) + ". " + s.binCode + " · " + s.skuCode + " · " + s.lotCode + " × " + s.quantity;
      box.appendChild(d);
    });
  }

  // Picks stop ``index`` of the loaded wave whole: bin scanned, item scanned (another lot needs a reason).
  async function pickStop(index, binCode, itemText, reason) {
    const wave = currentWave();
    const stop = wave && wave.stops[index];
    if (!stop) return [{ code: "NO_STOP", severity: "block", message_zh: "无此拣货点", message_en: "no such stop" }];
    const item = core.parseItem(itemText);
    const known = core.known();
    const bin = binOf(binCode);
    const lot = lotOf(stop.skuCode, item.lot || "");
    const findings = LotlineRules.evaluate(
      { bin_code: binCode, sku_code: stop.skuCode, lot_code: item.lot || "", quantity: String(stop.quantity) },
      { today: core.today(), expected_bin: item.lot === stop.lotCode ? stop.binCode : null, expected_sku: stop.skuCode,
        expected_lot: stop.lotCode, batch_status: lot.status || "available", expiry_date: lot.expiryDate || item.expiry || null,
        bin_frozen: bin.frozen, zones: known.zones, bin_path: bin.path },
      known.rules
    );
    if (blocked(findings)) return findings;
    if (findings.some((f) => f.code === "OTHER_LOT") && !reason) return findings;
    wave.done.push(index);
    store.setItem("wave", JSON.stringify(wave));
    renderWave();
    return queued("wave_pick", { waveId: wave.id, lineIds: stop.lineIds, binCode: binCode, lotCode: item.lot || "",
      quantity: String(stop.quantity), reason: reason || "" }, findings);
  }

  // The form: one set of fields, read by the chosen operation.
  async function submit() {
    const mode = $("mode").value;
    const ref = $("ref").value.trim();
    const bin = $("obin").value.trim();
    const item = $("oitem").value;
    const qty = $("oqty").value.trim();
    const sku = $("osku").value.trim();
    if (mode === "receive") return receive(ref.startsWith("asn:") ? { asnLineId: Number(ref.slice(4)) } : { orderLineId: Number(ref) }, bin, item, qty);
    if (mode === "count") return count(ref, bin, sku, item, qty);
    if (mode === "move") return move(bin, $("tobin").value.trim(), sku, item, qty);
    if (mode === "wave") return pickStop(Number(qty) - 1, bin, item, $("oreason").value.trim());
    return [];
  }

  $("osubmit").addEventListener("click", submit);
  $("loadwave").addEventListener("click", () => loadWave($("ref").value.trim()));
  renderWave();
  Object.assign(window.handheld, { receive: receive, count: count, move: move, loadWave: loadWave, pickStop: pickStop });
})();
