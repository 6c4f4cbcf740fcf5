"""Merkle trees of trace events in the form OpenZeppelin's ``MerkleProof.verify`` checks.

Pure: hashing and lists of bytes, no I/O.

* A leaf is ``keccak256(keccak256(event_hash))``: OpenZeppelin's StandardMerkleTree "leaves hashed twice"
  with the value ``abi.encode(bytes32 event_hash)``, which is the 32 bytes themselves. Hashing twice keeps a
  leaf (keccak of 32 bytes) from ever being mistaken for an inner node (keccak of 64 bytes).
* An inner node is ``keccak256(min(a, b) ++ max(a, b))``: sorted pairs, so a proof is a plain list of
  siblings with no left/right flags.
* Odd-node rule: an unpaired last node of a level is **carried up unchanged** to the next level, and the
  proof of a leaf beneath it simply has no sibling for that level. We chose this over OpenZeppelin's heap
  layout (a complete binary tree in one array, leaves sorted by hash) because it builds level by level from
  plain lists, keeps leaves in the caller's order so leaf ``i`` is event ``i``, and gives proofs of at most
  ``ceil(log2(n))`` siblings. We chose it over duplicating the odd node (Bitcoin's rule) because duplication
  lets two different leaf lists (``[a, b, c]`` and ``[a, b, c, c]``) share a root. Verification is the same
  sorted-pair fold either way, so OpenZeppelin's ``MerkleProof``, our contract's ``verify`` and ``cast`` all
  accept our proofs; only the root for an n that is not a power of two differs from what OpenZeppelin's JS
  library would build from the same leaves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from chain import hashing

HASH_SIZE = 32


def _check32(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ValueError(f"{what} must be {HASH_SIZE} bytes, got {len(value)}")


def leaf_hash(event_hash: bytes) -> bytes:
    """The leaf of a 32-byte event hash: keccak256(keccak256(event_hash))."""
    _check32(event_hash, "event hash")
    return hashing.keccak256(hashing.keccak256(event_hash))


def hash_pair(a: bytes, b: bytes) -> bytes:
    """keccak256 of the sorted pair, as OpenZeppelin ``Hashes.commutativeKeccak256``."""
    return hashing.keccak256(a + b if a < b else b + a)


def process_proof(leaf: bytes, proof: Iterable[bytes]) -> bytes:
    """The root that a leaf and its proof lead to."""
    node = leaf
    for sibling in proof:
        _check32(sibling, "proof sibling")
        node = hash_pair(node, sibling)
    return node


def verify(root: bytes, leaf: bytes, proof: Iterable[bytes]) -> bool:
    """True if ``proof`` leads from ``leaf`` to ``root``."""
    return len(leaf) == HASH_SIZE and process_proof(leaf, proof) == root


def max_proof_length(leaf_count: int) -> int:
    """ceil(log2(leaf_count)): the longest proof a tree of that many leaves gives."""
    if leaf_count < 1:
        raise ValueError("a tree has at least one leaf")
    return (leaf_count - 1).bit_length()


class MerkleTree:
    """A built tree: each level a list of 32-byte nodes, ``levels[0]`` the leaves, ``levels[-1]`` the root.

    Treat it as immutable. Memory is about 2n nodes (n leaves): ~140 MB of Python bytes for a million leaves.
    """

    __slots__ = ("_levels",)

    def __init__(self, levels: list[list[bytes]]) -> None:
        self._levels = levels

    @classmethod
    def from_event_hashes(cls, event_hashes: Iterable[bytes]) -> MerkleTree:
        """Build from 32-byte event hashes (the sha-256 of each event's canonical JSON), in order."""
        keccak = hashing.keccak256
        leaves: list[bytes] = []
        for event_hash in event_hashes:
            _check32(event_hash, "event hash")
            leaves.append(keccak(keccak(event_hash)))
        return cls.from_leaves(leaves)

    @classmethod
    def from_leaves(cls, leaves: Sequence[bytes]) -> MerkleTree:
        """Build from leaves that are already hashed (``leaf_hash``)."""
        if not leaves:
            raise ValueError("a Merkle tree needs at least one leaf")
        for leaf in leaves:
            _check32(leaf, "leaf")
        keccak = hashing.keccak256
        level = list(leaves)
        levels = [level]
        while len(level) > 1:
            # Pair [0,1], [2,3], ...; zip drops an odd last node, which is then carried up unchanged.
            parents = [
                keccak(a + b if a < b else b + a) for a, b in zip(level[0::2], level[1::2], strict=False)
            ]
            if len(level) % 2:
                parents.append(level[-1])
            level = parents
            levels.append(level)
        return cls(levels)

    @property
    def root(self) -> bytes:
        return self._levels[-1][0]

    @property
    def leaf_count(self) -> int:
        return len(self._levels[0])

    @property
    def depth(self) -> int:
        """Number of levels above the leaves: the longest proof."""
        return len(self._levels) - 1

    def leaf(self, index: int) -> bytes:
        return self._levels[0][self._index(index)]

    def proof(self, index: int) -> list[bytes]:
        """Siblings from the leaf up to (not including) the root."""
        i = self._index(index)
        proof: list[bytes] = []
        for level in self._levels[:-1]:
            sibling = i ^ 1
            if sibling < len(level):
                proof.append(level[sibling])
            i >>= 1
        return proof

    def proofs(self) -> Iterator[list[bytes]]:
        """The proof of every leaf, in leaf order."""
        for index in range(self.leaf_count):
            yield self.proof(index)

    def _index(self, index: int) -> int:
        if not 0 <= index < self.leaf_count:
            raise IndexError(f"leaf index {index} out of range 0..{self.leaf_count - 1}")
        return index
