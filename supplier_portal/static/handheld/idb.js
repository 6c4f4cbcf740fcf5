// A small promise wrapper over IndexedDB: the operation queue and the pulled tasks survive a reload offline.
(function (root) {
  "use strict";
  function open() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open("lotline-handheld", 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore("ops", { keyPath: "sequence" });
        db.createObjectStore("kv");
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  function run(store, mode, fn) {
    return open().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const result = fn(tx.objectStore(store));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    }));
  }
  root.LotlineDB = {
    putOp: (op) => run("ops", "readwrite", (s) => s.put(op)),
    ops: () => run("ops", "readonly", (s) => s.getAll()),
    deleteOps: (seqs) => run("ops", "readwrite", (s) => { seqs.forEach((q) => s.delete(q)); }),
    set: (key, value) => run("kv", "readwrite", (s) => s.put(value, key)),
    get: (key) => run("kv", "readonly", (s) => s.get(key)),
  };
})(self);
