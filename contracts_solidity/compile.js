#!/usr/bin/env node
// Compile AnchorRegistry.sol with the pinned solc-js and fixed settings, and write the artifact.
// Usage: node compile.js [output.json] [Contract]   (default: AnchorRegistry.json beside this file)
// The output is deterministic: the integration test recompiles into a temp file and compares bytes.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const solc = require('solc');

// The contract is the second argument (default AnchorRegistry): node compile.js out.json AttestationRegistry
const CONTRACT = process.argv[3] || 'AnchorRegistry';
const SOURCE = `${CONTRACT}.sol`;
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'ipfs' },
  outputSelection: { [SOURCE]: { [CONTRACT]: ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

const out = process.argv[2] || path.join(__dirname, `${CONTRACT}.json`);
const content = fs.readFileSync(path.join(__dirname, SOURCE), 'utf8');
const input = { language: 'Solidity', sources: { [SOURCE]: { content } }, settings: SETTINGS };
const result = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (result.errors || []).filter((e) => e.severity === 'error');
for (const e of result.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);

const c = result.contracts[SOURCE][CONTRACT];
const artifact = {
  contractName: CONTRACT,
  sourceName: SOURCE,
  solcVersion: solc.version(),
  settings: { optimizer: SETTINGS.optimizer, evmVersion: SETTINGS.evmVersion },
  abi: c.abi,
  bytecode: '0x' + c.evm.bytecode.object,
  deployedBytecode: '0x' + c.evm.deployedBytecode.object,
};
fs.writeFileSync(out, JSON.stringify(artifact, null, 2) + '\n');
console.log(`wrote ${out} (solc ${solc.version()})`);
