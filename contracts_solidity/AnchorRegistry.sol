// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title AnchorRegistry: Merkle roots of Lotline trace events, committed on chain.
/// @notice Leaves are keccak256(keccak256(eventHash)) and inner nodes keccak256 of the sorted pair: the form
///         OpenZeppelin's StandardMerkleTree builds and MerkleProof.verify checks. Anyone can verify a proof with
///         `verify` (leaf given) or `verifyEvent` (32-byte event hash given).
contract AnchorRegistry {
    /// @dev Packed into one storage slot. leafCount is never zero for an anchored root, so it marks existence.
    struct Anchor {
        uint64 timestamp;
        uint64 blockNumber;
        uint64 leafCount;
    }

    address public owner;
    mapping(address account => bool) public isAnchorer;
    /// @notice anchors(root) -> (timestamp, blockNumber, leafCount); all zero when the root is not anchored.
    mapping(bytes32 root => Anchor) public anchors;
    bytes32 public latestRoot;

    event Anchored(bytes32 indexed root, bytes32 indexed previousRoot, uint64 leafCount, address anchorer);
    event AnchorerAdded(address indexed account);
    event AnchorerRemoved(address indexed account);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner(address caller);
    error NotAnchorer(address caller);
    error AlreadyAnchored(bytes32 root);
    error UnknownPreviousRoot(bytes32 previousRoot);
    error ZeroRoot();
    error ZeroLeafCount();
    error ZeroAddress();

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @notice The deployer becomes owner and first anchorer.
    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
        isAnchorer[msg.sender] = true;
        emit AnchorerAdded(msg.sender);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function addAnchorer(address account) external onlyOwner {
        if (account == address(0)) revert ZeroAddress();
        isAnchorer[account] = true;
        emit AnchorerAdded(account);
    }

    function removeAnchorer(address account) external onlyOwner {
        isAnchorer[account] = false;
        emit AnchorerRemoved(account);
    }

    /// @notice Commit a Merkle root once. previousRoot chains batches: zero, or a root anchored before.
    function anchor(bytes32 root, uint64 leafCount, bytes32 previousRoot) external {
        if (!isAnchorer[msg.sender]) revert NotAnchorer(msg.sender);
        if (root == bytes32(0)) revert ZeroRoot();
        if (leafCount == 0) revert ZeroLeafCount();
        if (anchors[root].leafCount != 0) revert AlreadyAnchored(root);
        if (previousRoot != bytes32(0) && anchors[previousRoot].leafCount == 0) {
            revert UnknownPreviousRoot(previousRoot);
        }
        anchors[root] = Anchor(uint64(block.timestamp), uint64(block.number), leafCount);
        latestRoot = root;
        emit Anchored(root, previousRoot, leafCount, msg.sender);
    }

    function isAnchored(bytes32 root) external view returns (bool) {
        return anchors[root].leafCount != 0;
    }

    /// @notice True only if root is anchored and proof leads from leaf to root (sorted-pair keccak256).
    function verify(bytes32 root, bytes32 leaf, bytes32[] calldata proof) public view returns (bool) {
        if (anchors[root].leafCount == 0) return false;
        bytes32 node = leaf;
        for (uint256 i = 0; i < proof.length; ++i) {
            node = _hashPair(node, proof[i]);
        }
        return node == root;
    }

    /// @notice As verify, from the 32-byte event hash: leaf = keccak256(keccak256(eventHash)).
    function verifyEvent(bytes32 root, bytes32 eventHash, bytes32[] calldata proof) external view returns (bool) {
        return verify(root, keccak256(bytes.concat(keccak256(abi.encode(eventHash)))), proof);
    }

    function _hashPair(bytes32 a, bytes32 b) private pure returns (bytes32 value) {
        assembly ("memory-safe") {
            if gt(a, b) {
                let t := a
                a := b
                b := t
            }
            mstore(0x00, a)
            mstore(0x20, b)
            value := keccak256(0x00, 0x40)
        }
    }
}
