#!/usr/bin/env node
// Checks a Lotline proof file (docs/proof-format.md, version 2) against the event's stored JSON, with
// nothing of Lotline's: node's crypto for SHA-256 and js-sha3 (installed here with solc) for keccak256.
// The on-chain half (is the root in the registry, in that block, on that chain, with that code?) is done
// with Foundry's cast; this script prints the cast commands to run.
//
// Usage: node verify-proof.js PROOF.json EVENT.json
// Exit 0 and a JSON report {"ok": true, ...} when every offline check holds; exit 1 with the failures.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const { keccak256 } = require('js-sha3');

const hex = (buf) => '0x' + Buffer.from(buf).toString('hex');
const bytes = (h) => Buffer.from(h.replace(/^0x/, ''), 'hex');
const keccak = (buf) => Buffer.from(keccak256.arrayBuffer(buf));

// RFC 8785 (JCS): keys sorted by UTF-16 code units, no whitespace, ECMAScript number form.
function jcs(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(jcs).join(',') + ']';
  const keys = Object.keys(value).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + jcs(value[k])).join(',') + '}';
}

// The siblings a leaf has in a tree of `count` leaves whose odd last node is carried up unchanged.
function expectedProofLength(index, count) {
  let n = 0;
  for (let width = count, i = index; width > 1; width = Math.ceil(width / 2), i >>= 1) {
    if ((i ^ 1) < width) n += 1;
  }
  return n;
}

function main(proofPath, eventPath) {
  const proof = JSON.parse(fs.readFileSync(proofPath, 'utf8'));
  const eventBytes = fs.readFileSync(eventPath);
  const failures = [];
  const check = (ok, what) => { if (!ok) failures.push(what); };

  check(proof.version === 2, `version ${proof.version} is not 2`);
  const event = JSON.parse(eventBytes.toString('utf8'));
  check(Buffer.from(jcs(event), 'utf8').equals(eventBytes), 'the event file is not RFC 8785 canonical JSON');
  const eventHash = crypto.createHash('sha256').update(eventBytes).digest();
  check(hex(eventHash) === proof.eventHash, `event hashes to ${hex(eventHash)}, proof says ${proof.eventHash}`);
  check(event.eventID === proof.eventId, `event's eventID ${event.eventID} is not the proof's ${proof.eventId}`);
  const leaf = keccak(keccak(eventHash));
  check(hex(leaf) === proof.leaf, `leaf is ${hex(leaf)}, proof says ${proof.leaf}`);
  let node = leaf;
  for (const sibling of proof.proof) {
    const s = bytes(sibling);
    node = keccak(Buffer.compare(node, s) < 0 ? Buffer.concat([node, s]) : Buffer.concat([s, node]));
  }
  check(hex(node) === proof.root, `the proof leads to ${hex(node)}, not to root ${proof.root}`);
  check(proof.leafIndex < proof.leafCount, `leaf index ${proof.leafIndex} is not below ${proof.leafCount}`);
  const want = expectedProofLength(proof.leafIndex, proof.leafCount);
  check(proof.proof.length === want, `${proof.proof.length} siblings, a leaf at ${proof.leafIndex} of ${proof.leafCount} has ${want}`);

  const a = proof.anchor || {};
  const rpc = '--rpc-url "$RPC_URL"';
  const report = {
    ok: failures.length === 0,
    failures,
    eventHash: hex(eventHash),
    root: hex(node),
    cast: {
      chainId: `cast chain-id ${rpc}   # expect ${a.chainId}`,
      genesis: `cast block 0 --field hash ${rpc}   # expect ${a.genesisHash}`,
      code: `cast keccak $(cast code ${a.contract} ${rpc})   # expect ${a.codeHash}`,
      anchor: `cast call ${a.contract} "anchors(bytes32)(uint64,uint64,uint64)" ${proof.root} ${rpc}   # expect block ${a.blockNumber}, ${proof.leafCount} leaves`,
      block: `cast block ${a.blockNumber} --field hash ${rpc}   # expect ${a.blockHash}`,
      tx: `cast receipt ${a.txHash} blockHash ${rpc}   # expect ${a.blockHash}`,
      verify: `cast call ${a.contract} "verifyEvent(bytes32,bytes32,bytes32[])(bool)" ${proof.root} ${hex(eventHash)} "[${proof.proof.join(',')}]" ${rpc}   # expect true`,
    },
  };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  return report.ok ? 0 : 1;
}

if (process.argv.length !== 4) {
  process.stderr.write('usage: node verify-proof.js PROOF.json EVENT.json\n');
  process.exit(2);
}
process.exit(main(process.argv[2], process.argv[3]));
