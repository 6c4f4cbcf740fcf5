// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title AttestationRegistry: parties co-sign what was anchored about a batch, with BLS12-381 signatures.
/// @notice Signatures follow the IETF BLS signature scheme, ciphersuite
///         BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ (public keys in G1, signatures in G2, proof of
///         possession against rogue keys), as Ethereum's consensus layer uses it. Verification uses the
///         EIP-2537 precompiles: hash_to_G2 is expand_message_xmd (SHA-256) -> two Fp2 elements (reduced by
///         MODEXP) -> MAP_FP2_TO_G2 (which clears the cofactor) -> G2ADD; then one pairing check
///         e(aggregate public key, H(m)) * e(-G1, aggregate signature) == 1.
///         Points are in EIP-2537 encoding: an Fp element is 64 bytes (16 zero bytes, 48-byte big-endian);
///         G1 = x || y (128 bytes), G2 = x.c0 || x.c1 || y.c0 || y.c1 (256 bytes).
contract AttestationRegistry {
    bytes constant DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    bytes constant P = hex"1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
    // -G1 (the generator with y negated mod p), EIP-2537 encoded.
    bytes constant NEG_G1 =
        hex"0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb00000000000000000000000000000000114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca";
    address constant G1ADD = address(0x0b);
    address constant G2ADD = address(0x0d);
    address constant PAIRING = address(0x0f);
    address constant MAP_FP2_TO_G2 = address(0x11);
    address constant MODEXP = address(0x05);

    address public owner;
    /// @notice A party's public key (G1, 128 bytes) by id = keccak256(key); empty when unknown or revoked.
    mapping(bytes32 id => bytes key) public keys;

    event PartyKeyRegistered(bytes32 indexed id);
    event PartyKeyRevoked(bytes32 indexed id);
    event Attested(bytes32 indexed batch, bytes32 indexed root, bytes32 indexed claim, bytes32 messageHash, bytes32[] signers);

    error NotOwner(address caller);
    error BadLength();
    error UnknownKey(bytes32 id);
    error BadSignature();
    error PrecompileFailed(address precompile);

    constructor() {
        owner = msg.sender;
    }

    /// @notice Registers a key whose proof of possession the operator checked (off chain, with the point's
    ///         subgroup and non-infinity checks); revoked keys can never sign again.
    function registerKey(bytes calldata key) external returns (bytes32 id) {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (key.length != 128) revert BadLength();
        id = keccak256(key);
        keys[id] = key;
        emit PartyKeyRegistered(id);
    }

    function revokeKey(bytes32 id) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        delete keys[id];
        emit PartyKeyRevoked(id);
    }

    /// @notice The message the parties sign: a domain tag, the chain, this registry, then the claim.
    function message(bytes32 batch, bytes32 root, bytes32 claim, uint64 time) public view returns (bytes memory) {
        return abi.encodePacked("LOTLINE-ATTESTATION-V1", block.chainid, address(this), batch, root, claim, time);
    }

    /// @notice Checks the aggregate signature of `signers` over `message(...)` and records the attestation.
    function attest(bytes32 batch, bytes32 root, bytes32 claim, uint64 time, bytes32[] calldata signers, bytes calldata signature)
        external
    {
        if (!verify(message(batch, root, claim, time), signers, signature)) revert BadSignature();
        emit Attested(batch, root, claim, keccak256(message(batch, root, claim, time)), signers);
    }

    /// @notice FastAggregateVerify: true when `signature` (G2) is the aggregate of the signers' signatures of `msg_`.
    function verify(bytes memory msg_, bytes32[] calldata signers, bytes calldata signature) public view returns (bool) {
        if (signature.length != 256 || signers.length == 0) revert BadLength();
        bytes memory aggregate = keys[signers[0]];
        if (aggregate.length == 0) revert UnknownKey(signers[0]);
        for (uint256 i = 1; i < signers.length; i++) {
            bytes memory key = keys[signers[i]];
            if (key.length == 0) revert UnknownKey(signers[i]);
            aggregate = _call(G1ADD, bytes.concat(aggregate, key), 128);
        }
        bytes memory h = hashToG2(msg_);
        bytes memory ok = _call(PAIRING, bytes.concat(aggregate, h, NEG_G1, signature), 32);
        return uint256(bytes32(ok)) == 1;
    }

    /// @notice hash_to_curve for G2 (RFC 9380, BLS12381G2_XMD:SHA-256_SSWU_RO_) with this scheme's DST.
    function hashToG2(bytes memory msg_) public view returns (bytes memory) {
        bytes memory uniform = _expand(msg_);
        bytes memory u0 = bytes.concat(_reduce(uniform, 0), _reduce(uniform, 64));
        bytes memory u1 = bytes.concat(_reduce(uniform, 128), _reduce(uniform, 192));
        bytes memory q0 = _call(MAP_FP2_TO_G2, u0, 256);
        bytes memory q1 = _call(MAP_FP2_TO_G2, u1, 256);
        return _call(G2ADD, bytes.concat(q0, q1), 256);
    }

    /// @dev expand_message_xmd with SHA-256, 256 bytes out (4 field elements of 64 bytes).
    function _expand(bytes memory msg_) private pure returns (bytes memory out) {
        bytes memory dstPrime = bytes.concat(DST, bytes1(uint8(DST.length)));
        bytes32 b0 = sha256(bytes.concat(new bytes(64), msg_, hex"0100", hex"00", dstPrime));
        bytes32 bi = sha256(bytes.concat(b0, hex"01", dstPrime));
        out = bytes.concat(bi);
        for (uint8 i = 2; i <= 8; i++) {
            bi = sha256(bytes.concat(b0 ^ bi, bytes1(i), dstPrime));
            out = bytes.concat(out, bi);
        }
    }

    /// @dev The 64 bytes at `offset` as an integer mod p, EIP-2537 encoded (64 bytes), by MODEXP(x, 1, p).
    function _reduce(bytes memory uniform, uint256 offset) private view returns (bytes memory) {
        bytes memory x = new bytes(64);
        for (uint256 i = 0; i < 64; i++) x[i] = uniform[offset + i];
        bytes memory r = _call(MODEXP, bytes.concat(bytes32(uint256(64)), bytes32(uint256(1)), bytes32(uint256(48)), x, hex"01", P), 48);
        return bytes.concat(new bytes(16), r);
    }

    function _call(address precompile, bytes memory input, uint256 outLength) private view returns (bytes memory out) {
        (bool ok, bytes memory result) = precompile.staticcall(input);
        if (!ok || result.length != outLength) revert PrecompileFailed(precompile);
        return result;
    }
}
