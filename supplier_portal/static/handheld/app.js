// The reference handheld: tasks pulled when online, scans checked by the shared edge rules on the spot,
// every confirmed scan queued in IndexedDB with the device's next sequence number, and the queue pushed in
// batches whenever the network is there. The server applies each (device, sequence) once, so a batch sent
// twice (an answer lost to a dropped network) changes nothing: no scan is lost, none is applied twice.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const store = window.localStorage;
  const DB = self.LotlineDB;
  let tasks = [];
  let lots = {};
  let rules = {};
  let bins = {}; // code -> {path, frozen}: the warehouse's bins, for zone and frozen-bin checks offline
  let zones = []; // the picker's zones (location paths); []: the whole warehouse
  let counts = []; // open counts: {id, number, binCodes}
  let syncing = false;

  function deviceId() {
    let id = store.getItem("deviceId");
    if (!id) { id = "HH-" + crypto.randomUUID(); store.setItem("deviceId", id); }
    return id;
  }

  async function gql(query, variables) {
    const r = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer " + store.getItem("token") },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    });
    const body = await r.json();
    if (body.errors) throw new Error(body.errors[0].message);
    return body.data;
  }

  // GS1 element strings from a keyboard-wedge scanner: (01) GTIN, (10) lot, (17) expiry, (15) best-before,
  // (310n) net weight in kg, parsed by the vendored GS1 parser.
  function parseItem(text) {
    const parsed = parseBarcode(text.trim());
    const out = {};
    for (const item of parsed.parsedCodeItems) {
      if (item.ai === "01") out.gtin = item.data;
      else if (item.ai === "10") out.lot = item.data;
      else if (item.ai === "17") out.expiry = item.data.toISOString().slice(0, 10);
      else if (item.ai === "15") out.bestBefore = item.data.toISOString().slice(0, 10);
      else if (item.ai.startsWith("310")) out.netKg = String(item.data);
    }
    return out;
  }

  function today() { return new Date().toISOString().slice(0, 10); }

  async function saveLocal() {
    await DB.set("tasks", tasks); await DB.set("lots", lots); await DB.set("rules", rules);
    await DB.set("bins", bins); await DB.set("zones", zones); await DB.set("counts", counts);
  }

  async function pull() {
    const data = await gql(
      "query($d: String!) { devicePull(deviceId: $d) { cursor rules lots { skuCode lotCode status expiryDate } " +
        "zones bins { code path frozen } counts { id number binCodes } " +
        "tasks { id orderNumber lines { id skuCode gtin lotCode binCode quantity status } } } }",
      { d: deviceId() }
    );
    tasks = data.devicePull.tasks;
    rules = data.devicePull.rules;
    lots = {};
    for (const l of data.devicePull.lots) lots[l.skuCode + "|" + l.lotCode] = l;
    zones = data.devicePull.zones;
    counts = data.devicePull.counts;
    bins = {};
    for (const b of data.devicePull.bins) bins[b.code] = { path: b.path, frozen: b.frozen };
    await saveLocal();
    render();
  }

  function allLines() {
    const out = [];
    for (const t of tasks) for (const l of t.lines) out.push(Object.assign({ taskId: t.id, order: t.orderNumber }, l));
    return out;
  }

  function render() {
    const select = $("line");
    const current = select.value;
    select.innerHTML = "";
    for (const l of allLines()) {
      if (l.status !== "open") continue;
      const o = document.createElement("option");
      o.value = l.id;
      o.textContent = l.order + " · " + l.skuCode + " · " + l.lotCode + " @ " + l.binCode + " × " + l.quantity;
      select.appendChild(o);
    }
    if (current) select.value = current;
    $("lines").textContent = allLines().filter((l) => l.status === "open").length + " 行待拣 lines open";
  }

  // Evaluates a scan against the line with the shared rules; returns the findings (blocks stop it).
  function check(line, binCode, item) {
    const skuCode = item.gtin && line.gtin && item.gtin !== line.gtin ? "GTIN:" + item.gtin : line.skuCode;
    const lot = lots[line.skuCode + "|" + (item.lot || "")] || {};
    return LotlineRules.evaluate(
      { bin_code: binCode, sku_code: skuCode, lot_code: item.lot || "", quantity: "0" },
      {
        today: today(),
        expected_bin: item.lot === line.lotCode ? line.binCode : null,
        expected_sku: line.skuCode,
        expected_lot: line.lotCode,
        batch_status: lot.status || "available",
        expiry_date: lot.expiryDate || item.expiry || null,
        bin_frozen: !!(bins[binCode] && bins[binCode].frozen),
        zones: zones,
        bin_path: bins[binCode] ? bins[binCode].path : null,
      },
      rules
    );
  }

  async function queue(kind, payload) {
    const sequence = Number(store.getItem("sequence") || "0") + 1;
    store.setItem("sequence", String(sequence));
    await DB.putOp({ sequence: sequence, kind: kind, payload: payload, scannedAt: new Date().toISOString() });
    await showQueue();
    return sequence;
  }

  // The scan, as a keyboard-wedge scanner (or a test) gives it; returns the findings.
  async function confirmPick(lineId, binCode, itemText, quantity, reason) {
    const line = allLines().find((l) => String(l.id) === String(lineId));
    if (!line) return [{ code: "NO_LINE", severity: "block", message_zh: "无此拣货行", message_en: "no such line" }];
    const item = parseItem(itemText);
    const findings = check(line, binCode, item);
    showFindings(findings);
    if (findings.some((f) => f.severity === "block")) return findings;
    if (findings.some((f) => f.code === "OTHER_LOT") && !reason) return findings;
    await queue("pick_confirm", { lineId: line.id, binCode: binCode, lotCode: item.lot || "", quantity: String(quantity), reason: reason || "" });
    for (const t of tasks) for (const l of t.lines) if (l.id === line.id) l.status = "picked";
    await saveLocal();
    render();
    sync();
    return findings;
  }

  function showFindings(findings) {
    $("findings").innerHTML = "";
    for (const f of findings) {
      const d = document.createElement("div");
      d.className = f.severity;
      d.textContent = (f.severity === "block" ? "⛔ " : "⚠ ") + f.message_zh + " / " + f.message_en;
      $("findings").appendChild(d);
    }
  }

  async function showQueue() {
    $("queued").textContent = String((await DB.ops()).length);
    const online = navigator.onLine;
    $("status").className = online ? "bar" : "bar offline";
    $("net").textContent = online ? "在线 online" : "离线 offline";
  }

  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      const ops = (await DB.ops()).sort((a, b) => a.sequence - b.sequence);
      for (let i = 0; i < ops.length; i += 50) {
        const batch = ops.slice(i, i + 50);
        const data = await gql(
          "mutation($i: DeviceSyncInput!) { deviceSync(input: $i) { __typename " +
            "... on DeviceSyncPayload { results { sequence status reason } } ... on UserError { message } } }",
          { i: { deviceId: deviceId(), operations: batch } }
        );
        const results = data.deviceSync.results;
        if (!results) throw new Error(data.deviceSync.message);
        const failed = results.filter((r) => r.status === "exception");
        if (failed.length) {
          const seen = JSON.parse(store.getItem("exceptions") || "[]").concat(failed);
          store.setItem("exceptions", JSON.stringify(seen));
          $("exceptions").textContent = seen.length + " 条异常待主管处理 exceptions for a supervisor";
        }
        await DB.deleteOps(results.map((r) => r.sequence));
      }
      await pull();
    } catch (e) {
      // Offline or the server unreachable: the queue stays as it is and goes with the next sync.
    } finally {
      syncing = false;
      await showQueue();
    }
  }

  async function signIn() {
    // Signed in only when the server registered this device in that warehouse: a wrong token or warehouse
    // code says why and leaves the form as it is (the device would otherwise queue scans nobody accepts).
    $("loginError").textContent = "";
    store.setItem("token", $("token").value.trim());
    let message = null;
    try {
      const data = await gql(
        "mutation($i: DeviceRegisterInput!) { deviceRegister(input: $i) { __typename ... on UserError { message } } }",
        { i: { deviceId: deviceId(), warehouseCode: $("warehouse").value.trim() } }
      );
      if (data.deviceRegister.message) message = data.deviceRegister.message;
    } catch (e) {
      message = e.message;
    }
    if (message !== null) {
      store.removeItem("token");
      $("loginError").textContent = "登录失败 sign-in failed: " + message;
      return;
    }
    store.setItem("signedIn", "1");
    start();
  }

  async function start() {
    $("login").hidden = true;
    $("work").hidden = false;
    tasks = (await DB.get("tasks")) || [];
    lots = (await DB.get("lots")) || {};
    rules = (await DB.get("rules")) || {};
    bins = (await DB.get("bins")) || {};
    zones = (await DB.get("zones")) || [];
    counts = (await DB.get("counts")) || [];
    render();
    await showQueue();
    sync();
  }

  $("signin").addEventListener("click", signIn);
  $("confirm").addEventListener("click", () =>
    confirmPick($("line").value, $("bin").value.trim(), $("item").value, $("qty").value, $("reason").value.trim())
  );
  // A keyboard-wedge scanner types the code and presses Enter: move on to the next field.
  $("bin").addEventListener("keydown", (e) => { if (e.key === "Enter") $("item").focus(); });
  $("item").addEventListener("keydown", (e) => { if (e.key === "Enter") $("qty").focus(); });
  window.addEventListener("online", sync);
  window.addEventListener("offline", showQueue);
  setInterval(sync, 5000);
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("sw.js");
  if (store.getItem("signedIn")) start();
  window.handheld = { confirmPick: confirmPick, sync: sync, pull: pull, queued: async () => (await DB.ops()).length };
  // What ops.js (receive, count, move, waves) shares with the pick screen.
  window.handheldCore = {
    gql: gql, queue: queue, parseItem: parseItem, today: today, showFindings: showFindings, sync: sync,
    known: () => ({ lots: lots, rules: rules, bins: bins, zones: zones, counts: counts }),
  };
})();
