// Co-signing in the supplier's browser (issue 19): the BLS12-381 secret key is made and kept here
// (localStorage of this browser, per portal user) and never sent. The page posts only the public key with its
// proof of possession, and signatures of the exact message the server shows.
import { bls12_381 } from '@noble/curves/bls12-381.js';

const bls = bls12_381.longSignatures; // keys in G1 (48 bytes), signatures in G2 (96 bytes)
const SIG_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const POP_DST = 'BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';

const root = document.getElementById('attest');
const storeKey = 'lotline.attestation.secret.' + root.dataset.user;

const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (hex) => Uint8Array.from(hex.match(/../g) || [], (h) => parseInt(h, 16));

function publicKeyOf(secretHex) {
  return toHex(bls.getPublicKey(fromHex(secretHex)).toBytes());
}

function sign(secretHex, messageBytes, dst) {
  return toHex(bls.Signature.toBytes(bls.sign(bls.hash(messageBytes, dst), fromHex(secretHex))));
}

function mySecret() {
  const secret = localStorage.getItem(storeKey);
  return secret && publicKeyOf(secret) === root.dataset.publicKey ? secret : null;
}

function say(text) {
  const box = document.getElementById('attest-status');
  box.textContent = text;
  box.hidden = false;
}

// A new key: kept here, its public half and proof of possession posted with the form.
for (const form of document.querySelectorAll('form[data-action="new-key"]')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const { secretKey } = bls.keygen();
    const secret = toHex(secretKey);
    const pk = publicKeyOf(secret);
    localStorage.setItem(storeKey, secret);
    form.elements.public_key.value = pk;
    form.elements.proof_of_possession.value = sign(secret, fromHex(pk), POP_DST);
    form.submit();
  });
}

// A signature of the attestation's message, made here.
for (const form of document.querySelectorAll('form[data-action="sign"]')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const secret = mySecret();
    if (!secret) {
      say('此浏览器没有您登记的私钥，请先更换密钥 · This browser does not hold your registered key: make a new one first.');
      return;
    }
    form.elements.signature.value = sign(secret, fromHex(form.dataset.message), SIG_DST);
    form.submit();
  });
}

if (root.dataset.publicKey && !mySecret()) {
  say('此浏览器没有您登记的私钥 · This browser does not hold your registered key.');
}
root.dataset.ready = 'true';
