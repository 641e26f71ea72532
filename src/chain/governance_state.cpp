#include "chain/governance_state.h"

#include <algorithm>
#include <cstring>

#include "chain/codec.h"
#include "chain/limits.h"

namespace hc::chain {

namespace {
constexpr std::string_view kGovHeadName = "consortium/head";
constexpr std::string_view kGovProposalPrefix = "consortium/proposal/";
constexpr std::string_view kGovMemberPrefix = "consortium/member/";
constexpr std::string_view kGovKeyPrefix = "consortium/key/";
constexpr std::string_view kGovChangePrefix = "consortium/change/";

Status gov_corrupt(const std::string& what) {
  return Status::error(ErrorCode::kCorrupt, "store: consortium state: " + what);
}

Bytes gov_name_of(std::string_view prefix, ByteSpan suffix) {
  Bytes name(prefix.begin(), prefix.end());
  append_bytes(name, suffix);
  return name;
}

Bytes gov_member_name(std::uint32_t id) {
  Bytes suffix;
  append_u32_be(suffix, id);
  return gov_name_of(kGovMemberPrefix, suffix);
}

void gov_append_text8(Bytes& out, std::string_view text) {
  append_u8(out, static_cast<std::uint8_t>(text.size()));
  append_bytes(out, bytes_of(text));
}

void gov_append_text16(Bytes& out, std::string_view text) {
  append_u16_be(out, static_cast<std::uint16_t>(text.size()));
  append_bytes(out, bytes_of(text));
}

void gov_append_ids(Bytes& out, const std::vector<std::uint32_t>& ids) {
  append_u16_be(out, static_cast<std::uint16_t>(ids.size()));
  for (std::uint32_t id : ids) append_u32_be(out, id);
}

Result<std::vector<std::uint32_t>> gov_read_ids(Reader& in, std::size_t max) {
  HC_ASSIGN_OR_RETURN(std::uint16_t count, in.u16("id count"));
  if (count > max) return invalid_input("too many ids");
  std::vector<std::uint32_t> ids;
  for (std::uint16_t i = 0; i < count; ++i) {
    HC_ASSIGN_OR_RETURN(std::uint32_t id, in.u32("id"));
    ids.push_back(id);
  }
  return ids;
}

Result<std::string> gov_read_text(Reader& in, bool wide, std::size_t max, std::string_view field) {
  Result<Bytes> raw = wide ? in.bytes16(0, max, field) : in.bytes8(0, max, field);
  if (!raw.ok()) return raw.status();
  return std::string(raw->begin(), raw->end());
}

Bytes gov_encode_head(const ConsortiumHead& h) {
  Bytes out;
  gov_append_ids(out, h.members);
  append_u32_be(out, h.next_replica_id);
  append_u32_be(out, h.changes);
  append_u64_be(out, h.last_change_height);
  append_u8(out, static_cast<std::uint8_t>(h.open.size()));
  for (const Digest& id : h.open) append_bytes(out, id);
  return out;
}

Result<ConsortiumHead> gov_decode_head(ByteSpan value) {
  Reader in(value);
  ConsortiumHead h;
  HC_ASSIGN_OR_RETURN(h.members, gov_read_ids(in, kMaxReplicas));
  HC_ASSIGN_OR_RETURN(h.next_replica_id, in.u32("next replica id"));
  HC_ASSIGN_OR_RETURN(h.changes, in.u32("changes"));
  HC_ASSIGN_OR_RETURN(h.last_change_height, in.u64("last change height"));
  HC_ASSIGN_OR_RETURN(std::uint8_t open, in.u8("open count"));
  if (open > kMaxOpenProposals) return invalid_input("too many open proposals");
  for (std::uint8_t i = 0; i < open; ++i) {
    HC_ASSIGN_OR_RETURN(Digest id, in.array<kDigestBytes>("open proposal"));
    h.open.push_back(id);
  }
  HC_RETURN_IF_ERROR(in.finish("consortium head"));
  return h;
}

Bytes gov_encode_proposal(const Proposal& p) {
  Bytes out;
  append_u8(out, static_cast<std::uint8_t>(p.kind));
  append_u8(out, static_cast<std::uint8_t>(p.status));
  append_u64_be(out, p.proposed_height);
  append_u64_be(out, p.expires_height);
  append_u64_be(out, p.closed_height);
  append_u32_be(out, p.subject);
  append_u32_be(out, p.proposer);
  append_bytes(out, p.candidate_key);
  gov_append_text8(out, p.name);
  gov_append_text8(out, p.api_address);
  gov_append_text16(out, p.tls_ca_pem);
  gov_append_ids(out, p.approvers);
  gov_append_text8(out, p.void_reason);
  // Appended only when present, so a proposal without one keeps the first format's bytes.
  if (!p.peer_address.empty()) gov_append_text8(out, p.peer_address);
  if (p.enrollment_key) append_bytes(out, *p.enrollment_key);  // only after a peer address, as above
  return out;
}

Result<Proposal> gov_decode_proposal(const Digest& id, ByteSpan value) {
  Reader in(value);
  Proposal p;
  p.id = id;
  HC_ASSIGN_OR_RETURN(std::uint8_t kind, in.u8("kind"));
  if (kind < 1 || kind > 3) return invalid_input("proposal kind");
  p.kind = static_cast<ProposalKind>(kind);
  HC_ASSIGN_OR_RETURN(std::uint8_t status, in.u8("status"));
  if (status < 1 || status > 3) return invalid_input("proposal status");
  p.status = static_cast<ProposalStatus>(status);
  HC_ASSIGN_OR_RETURN(p.proposed_height, in.u64("proposed height"));
  HC_ASSIGN_OR_RETURN(p.expires_height, in.u64("expires height"));
  HC_ASSIGN_OR_RETURN(p.closed_height, in.u64("closed height"));
  HC_ASSIGN_OR_RETURN(p.subject, in.u32("subject"));
  HC_ASSIGN_OR_RETURN(p.proposer, in.u32("proposer"));
  HC_ASSIGN_OR_RETURN(p.candidate_key, in.array<kEd25519PublicKeyBytes>("candidate key"));
  HC_ASSIGN_OR_RETURN(p.name, gov_read_text(in, false, kMaxMemberNameBytes, "name"));
  HC_ASSIGN_OR_RETURN(p.api_address, gov_read_text(in, false, kMaxApiAddressBytes, "API address"));
  HC_ASSIGN_OR_RETURN(p.tls_ca_pem, gov_read_text(in, true, kMaxTlsCaCertificateBytes, "TLS CA"));
  HC_ASSIGN_OR_RETURN(p.approvers, gov_read_ids(in, kMaxReplicas + 1));
  HC_ASSIGN_OR_RETURN(p.void_reason, gov_read_text(in, false, 255, "void reason"));
  if (in.remaining() > 0) {
    HC_ASSIGN_OR_RETURN(p.peer_address, gov_read_text(in, false, kMaxApiAddressBytes, "peer address"));
    if (p.peer_address.empty()) return invalid_input("proposal: an empty peer address is written as none");
  }
  if (in.remaining() > 0) {
    HC_ASSIGN_OR_RETURN(p.enrollment_key, in.array<crypto::kP256PointBytes>("enrollment key"));
  }
  HC_RETURN_IF_ERROR(in.finish("proposal"));
  return p;
}

Bytes gov_encode_member(const ConsortiumMember& m) {
  Bytes out;
  append_bytes(out, m.key);
  gov_append_text8(out, m.name);
  gov_append_text8(out, m.api_address);
  gov_append_text16(out, m.tls_ca_pem);
  append_u64_be(out, m.joined_height);
  if (!m.peer_address.empty()) gov_append_text8(out, m.peer_address);  // only when present, as above
  if (m.enrollment_key) append_bytes(out, *m.enrollment_key);         // only after a peer address
  return out;
}

Result<ConsortiumMember> gov_decode_member(std::uint32_t id, ByteSpan value) {
  Reader in(value);
  ConsortiumMember m;
  m.id = id;
  HC_ASSIGN_OR_RETURN(m.key, in.array<kEd25519PublicKeyBytes>("key"));
  HC_ASSIGN_OR_RETURN(m.name, gov_read_text(in, false, kMaxMemberNameBytes, "name"));
  HC_ASSIGN_OR_RETURN(m.api_address, gov_read_text(in, false, kMaxApiAddressBytes, "API address"));
  HC_ASSIGN_OR_RETURN(m.tls_ca_pem, gov_read_text(in, true, kMaxTlsCaCertificateBytes, "TLS CA"));
  HC_ASSIGN_OR_RETURN(m.joined_height, in.u64("joined height"));
  if (in.remaining() > 0) {
    HC_ASSIGN_OR_RETURN(m.peer_address, gov_read_text(in, false, kMaxApiAddressBytes, "peer address"));
    if (m.peer_address.empty()) return invalid_input("member: an empty peer address is written as none");
  }
  if (in.remaining() > 0) {
    HC_ASSIGN_OR_RETURN(m.enrollment_key, in.array<crypto::kP256PointBytes>("enrollment key"));
  }
  HC_RETURN_IF_ERROR(in.finish("member"));
  return m;
}
}  // namespace

const char* proposal_kind_name(ProposalKind kind) {
  switch (kind) {
    case ProposalKind::kJoin:
      return "join";
    case ProposalKind::kVoteOut:
      return "vote-out";
    case ProposalKind::kExit:
      return "exit";
  }
  return "unknown";
}

const char* proposal_status_name(ProposalStatus status) {
  switch (status) {
    case ProposalStatus::kOpen:
      return "open";
    case ProposalStatus::kAccepted:
      return "accepted";
    case ProposalStatus::kVoid:
      return "void";
  }
  return "unknown";
}

Result<ConsortiumHead> read_consortium_head(const TrusteeStateView& state) {
  HC_ASSIGN_OR_RETURN(auto value, state.trustee_entry(bytes_of(kGovHeadName)));
  if (value) {
    auto head = gov_decode_head(*value);
    if (!head.ok()) return gov_corrupt("bad head: " + head.status().message());
    return head;
  }
  ConsortiumHead head;
  for (const ReplicaInfo& r : state.genesis().replicas) {
    head.members.push_back(r.id);
    head.next_replica_id = std::max(head.next_replica_id, r.id + 1);
  }
  return head;
}

Result<std::optional<Proposal>> read_proposal(const TrusteeStateView& state, const Digest& id) {
  HC_ASSIGN_OR_RETURN(auto value, state.trustee_entry(gov_name_of(kGovProposalPrefix, id)));
  if (!value) return std::optional<Proposal>();
  auto p = gov_decode_proposal(id, *value);
  if (!p.ok()) return gov_corrupt("bad proposal: " + p.status().message());
  return std::optional<Proposal>(std::move(p).value());
}

Result<std::optional<ConsortiumMember>> read_member(const TrusteeStateView& state, std::uint32_t id) {
  for (const ReplicaInfo& r : state.genesis().replicas) {
    if (r.id == id) return std::optional<ConsortiumMember>(ConsortiumMember{id, r.public_key, "", "", r.tls_ca_pem, 0, "", std::nullopt});
  }
  HC_ASSIGN_OR_RETURN(auto value, state.trustee_entry(gov_member_name(id)));
  if (!value) return std::optional<ConsortiumMember>();
  auto m = gov_decode_member(id, *value);
  if (!m.ok()) return gov_corrupt("bad member: " + m.status().message());
  return std::optional<ConsortiumMember>(std::move(m).value());
}

Result<std::optional<std::uint32_t>> member_holding_key(const TrusteeStateView& state, const Ed25519PublicKey& key) {
  for (const ReplicaInfo& r : state.genesis().replicas) {
    if (r.public_key == key) return std::optional<std::uint32_t>(r.id);
  }
  HC_ASSIGN_OR_RETURN(auto value, state.trustee_entry(gov_name_of(kGovKeyPrefix, key)));
  if (!value) return std::optional<std::uint32_t>();
  Reader in(*value);
  auto id = in.u32("member id");
  if (!id.ok() || !in.finish("key index").ok()) return gov_corrupt("bad key index");
  return std::optional<std::uint32_t>(*id);
}

Result<std::vector<MembershipChange>> read_membership_changes(const TrusteeStateView& state,
                                                               std::uint64_t from_height) {
  HC_ASSIGN_OR_RETURN(auto raw, state.trustee_entries(bytes_of(kGovChangePrefix), kMaxMembershipChanges));
  std::vector<MembershipChange> out;
  for (const auto& [name, value] : raw) {
    if (name.size() != kGovChangePrefix.size() + 8) return gov_corrupt("bad change key");
    Reader key(ByteSpan(name).subspan(kGovChangePrefix.size()));
    auto height = key.u64("height");
    Reader in(value);
    auto members = gov_read_ids(in, kMaxReplicas);
    if (!height.ok() || !members.ok() || !in.finish("change").ok()) return gov_corrupt("bad change");
    if (*height >= from_height) out.push_back(MembershipChange{*height, std::move(members).value()});
  }
  return out;  // big-endian heights: the scan is in height order
}

TrusteeStateEntry consortium_head_entry(const ConsortiumHead& head) {
  return TrusteeStateEntry{Bytes(kGovHeadName.begin(), kGovHeadName.end()), gov_encode_head(head)};
}

TrusteeStateEntry proposal_entry(const Proposal& proposal) {
  return TrusteeStateEntry{gov_name_of(kGovProposalPrefix, proposal.id), gov_encode_proposal(proposal)};
}

std::vector<TrusteeStateEntry> joined_member_entries(const ConsortiumMember& member) {
  Bytes id;
  append_u32_be(id, member.id);
  return {TrusteeStateEntry{gov_member_name(member.id), gov_encode_member(member)},
          TrusteeStateEntry{gov_name_of(kGovKeyPrefix, member.key), id}};
}

TrusteeStateEntry membership_change_entry(const MembershipChange& change) {
  Bytes height;
  append_u64_be(height, change.height);
  Bytes value;
  gov_append_ids(value, change.members);
  return TrusteeStateEntry{gov_name_of(kGovChangePrefix, height), value};
}

}  // namespace hc::chain
