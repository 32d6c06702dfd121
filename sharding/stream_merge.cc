#include "sharding/stream_merge.h"

#include "protocol/errors.h"
#include "protocol/messages.h"
#include "protocol/result_set.h"

namespace weft::sharding {
namespace {

namespace p = protocol;

constexpr std::size_t frame_header = 4;
constexpr std::size_t max_frame = 0xFFFFFF;

bool is_closing(p::bytes_view payload) { return !payload.empty() && payload[0] == 0xFE && payload.size() < max_frame; }
bool is_error(p::bytes_view payload) { return !payload.empty() && payload[0] == 0xFF; }

}  // namespace

bool streams(const scatter_plan& plan) { return !plan.aggregates && !plan.distinct; }

stream_merge::stream_merge(const scatter_plan& plan, std::size_t lanes, bool extended_type_info,
                           std::size_t max_pending_bytes)
    : plan_(plan), ext_(extended_type_info), max_pending_(max_pending_bytes), lanes_(lanes) {}

void stream_merge::add(std::size_t lane, p::bytes_view bytes, bool last) {
  if (closed_) return;  // the answer is complete: what the lanes still send is dropped
  auto& s = lanes_.at(lane);
  s.carry.insert(s.carry.end(), bytes.begin(), bytes.end());
  std::size_t at = 0;
  while (!closed_ && s.carry.size() - at >= frame_header) {
    const std::size_t length = s.carry[at] | (s.carry[at + 1] << 8) | (s.carry[at + 2] << 16);
    if (length == max_frame) {
      refuse("a shard's answer holds a packet of 16 MiB or more");
      break;
    }
    if (s.carry.size() - at < frame_header + length) break;
    packet(lane, p::bytes_view(s.carry).subspan(at + frame_header, length));
    at += frame_header + length;
  }
  s.carry.erase(s.carry.begin(), s.carry.begin() + static_cast<std::ptrdiff_t>(std::min(at, s.carry.size())));
  if (last && !s.ended && !closed_) refuse("a shard's answer is cut");
  if (!closed_) send_rows();
}

void stream_merge::packet(std::size_t lane, p::bytes_view payload) {
  auto& s = lanes_[lane];
  ++s.packets;
  if (s.ended) return refuse("a shard answered with more than one result set");
  if (is_error(payload)) {
    // A shard's error is the answer (one server would have failed the statement), or ends it.
    if (!header_sent_) out_.clear(), seq_ = 1;
    send(payload);
    closed_ = true;
    return;
  }
  if (!s.header_done) return header_packet(s, payload);
  row_packet(s, payload);
}

void stream_merge::header_packet(lane_state& s, p::bytes_view payload) {
  s.header.emplace_back(payload.begin(), payload.end());  // (kept: the first lane's go to the client)
  if (s.packets == 1) {
    p::byte_reader r(payload);
    s.columns = static_cast<std::size_t>(r.lenenc_int());
    if (payload.empty() || payload[0] == 0x00 || !r.ok() || s.columns == 0) refuse("a shard answered without a result set");
    return;
  }
  if (s.definitions.size() < s.columns) {
    auto c = read_column_definition(s.header.back(), ext_);
    if (!c) return refuse("a shard's column definition is unreadable");
    s.definitions.push_back(*c);  // (its views point into s.header.back(), whose bytes stay put)
    return;
  }
  // After the definitions: their EOF, or under DEPRECATE_EOF already a row or the closing OK.
  s.header_done = true;
  if (payload.size() == 5 && payload[0] == 0xFE) return;
  s.header.pop_back();
  row_packet(s, payload);
}

void stream_merge::row_packet(lane_state& s, p::bytes_view payload) {
  if (is_closing(payload)) {
    s.closing_payload.assign(payload.begin(), payload.end());
    if (!read_closing(s.closing_payload, s.closing)) return refuse("a shard's answer has no end");
    if (s.closing.status & 0x0008) return refuse("a shard answered with more than one result set");
    s.ended = true;
    return;
  }
  pending_row row{p::bytes(payload.begin(), payload.end()), {}};
  auto values = read_text_row(row.payload, s.columns);
  if (!values) return refuse("a shard's row is unreadable");
  row.values = std::move(*values);
  s.pending_bytes += row.payload.size();
  if (s.pending_bytes > max_pending_) {
    const auto bound = max_pending_ >= (1u << 20) ? std::to_string(max_pending_ >> 20) + " MiB"
                                                  : std::to_string(max_pending_) + " bytes";
    return refuse("one shard's rows ran more than " + bound +
                  " ahead of another's in the merge: narrow the read (a key, a LIMIT)");
  }
  s.rows.push_back(std::move(row));
}

void stream_merge::fail(p::bytes_view err_payload) {
  if (closed_) return;
  if (!header_sent_) out_.clear(), seq_ = 1;
  send(err_payload);
  closed_ = true;
}

void stream_merge::refuse(const std::string& why) {
  if (closed_) return;
  if (!header_sent_) out_.clear(), seq_ = 1;
  send(p::encode(p::make_error(p::er::shard_unroutable, "weft: " + why)));
  closed_ = true;
}

// Every lane's definitions arrived (and agree): the header goes out once, from the first lane.
bool stream_merge::headers_ready() {
  if (header_sent_) return true;
  for (const auto& s : lanes_) {
    if (!s.header_done) return false;
    if (s.columns != lanes_[0].columns) {
      refuse("the shards answered with different columns");
      return false;
    }
  }
  const auto& first = lanes_[0];
  visible_ = first.columns - std::min(plan_.hidden_columns, first.columns);
  if (auto why = resolve_order(first.definitions, visible_, plan_.order_by, order_); !why.empty()) {
    refuse(why);
    return false;
  }
  p::bytes count;
  p::byte_writer(count).lenenc_int(visible_);
  send(count);
  for (std::size_t i = 0; i < visible_; ++i) send(first.header[1 + i]);
  if (first.header.size() > first.columns + 1) send(first.header.back());  // the definitions' EOF
  header_sent_ = true;
  return true;
}

// The lane whose next row goes next: under ORDER BY the least head once every lane still
// sending has one (ties to the earlier lane, as a stable sort); in a union any lane's.
std::optional<std::size_t> stream_merge::next_lane() const {
  std::optional<std::size_t> best;
  bool failed = false;
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    const auto& s = lanes_[i];
    if (s.rows.empty()) {
      if (!s.ended && !order_.empty()) return std::nullopt;  // it may still send a lesser row
      continue;
    }
    if (order_.empty()) return i;
    if (!best || before(s.rows.front().values, lanes_[*best].rows.front().values, order_, failed)) best = i;
  }
  return best;
}

void stream_merge::send_rows() {
  if (!headers_ready()) return;
  const auto limit = plan_.count;
  while (auto lane = next_lane()) {
    auto& s = lanes_[*lane];
    auto row = std::move(s.rows.front());
    s.rows.pop_front();
    s.pending_bytes -= row.payload.size();
    // The merge holds only if each shard's rows come in weft's order (as merge_results checks).
    bool failed = false;
    if (s.last && before(row.values, s.last->values, order_, failed)) {
      return refuse("a shard's rows did not come in weft's ORDER BY order");
    }
    if (failed) return refuse("an ORDER BY value is unreadable");
    if (skipped_ < plan_.offset) {
      ++skipped_;
    } else if (!limit || sent_ < *limit) {
      if (visible_ == s.columns) {
        send(row.payload);
      } else {
        p::text_row shown;
        for (std::size_t i = 0; i < visible_; ++i) {
          shown.push_back(row.values[i] ? std::optional<std::string>(std::string(*row.values[i])) : std::nullopt);
        }
        send(p::encode_text_row(shown));
      }
      ++sent_;
    }
    if (!order_.empty()) s.last = std::move(row);
  }
  for (const auto& s : lanes_) {
    if (!s.ended || !s.rows.empty()) return;
  }
  close();
}

// Every lane ended: the first lane's closing packet with every lane's warnings.
void stream_merge::close() {
  std::uint32_t warnings = 0;
  for (const auto& s : lanes_) warnings += s.closing.warnings;
  send(terminator_with(lanes_[0].closing, static_cast<std::uint16_t>(std::min<std::uint32_t>(warnings, 0xFFFF))));
  closed_ = true;  // nothing more after the closing packet
}

void stream_merge::send(p::bytes_view payload) {
  const auto n = payload.size();
  out_.insert(out_.end(), {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8),
                           static_cast<std::uint8_t>(n >> 16), seq_++});
  out_.insert(out_.end(), payload.begin(), payload.end());
}

bool stream_merge::wants(std::size_t lane) const {
  const auto& s = lanes_.at(lane);
  return closed_ || (s.rows.empty() && !s.ended);
}

p::bytes stream_merge::take() {
  if (closed_) finished_ = true;
  return std::move(out_);
}

}  // namespace weft::sharding
