// A read across shards merged while the shards' answers arrive, for plans that need no whole
// answer (no aggregates, no DISTINCT: scatter_plan.h). Rows go on as the shards send them
// (union), or by a k-way merge of the shards' ORDER BY; OFFSET and LIMIT are applied on the way.
// The client gets what merge_results would give (the rows of a union in another order, which
// SQL leaves open). Memory holds only what arrived and cannot be sent yet: under ORDER BY, the
// rows one shard is ahead of the slowest; beyond `max_pending_bytes` the read is refused.
//
// Nothing is sent before every shard's column definitions arrived, so a shard that fails at once
// fails the read as one server would (its ERR, the first). A shard that fails later ends the
// answer with an ERR packet in place of the closing EOF/OK, as a server does when a statement
// fails mid-result.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "protocol/bytes.h"
#include "sharding/merge_order.h"
#include "sharding/result_view.h"
#include "sharding/scatter_plan.h"

namespace weft::sharding {

// Whether a plan merges as its rows arrive (else merge_results, on whole answers).
bool streams(const scatter_plan& plan);

class stream_merge {
 public:
  stream_merge(const scatter_plan& plan, std::size_t lanes, bool extended_type_info, std::size_t max_pending_bytes);

  // More of lane i's response, cut anywhere; `last`: its response ended with these bytes.
  void add(std::size_t lane, protocol::bytes_view bytes, bool last);
  // A lane failed without an answer of its own (its connection lost, no connection): this ERR.
  void fail(protocol::bytes_view err_payload);
  // Whether lane i should read on: the merge holds none of its rows and needs some (after a
  // failure, every lane: the rest is read and dropped).
  bool wants(std::size_t lane) const;
  // The frames to send now, sequence ids going on from the last call's; empty: none yet.
  protocol::bytes take();
  // Every lane ended and the answer's last frame was taken.
  bool finished() const { return finished_; }
  std::uint64_t rows_sent() const { return sent_; }

 private:
  struct pending_row {
    protocol::bytes payload;
    row_values values;  // views into payload
  };
  struct lane_state {
    protocol::bytes carry;  // a frame not whole yet
    std::size_t packets = 0;
    std::size_t columns = 0;
    std::vector<column_info> definitions;
    std::vector<protocol::bytes> header;  // column count, definitions, their EOF: owned
    bool header_done = false;
    bool ended = false;
    std::deque<pending_row> rows;
    std::optional<pending_row> last;  // ORDER BY: the row it sent last, to check the next against
    std::size_t pending_bytes = 0;
    result_view closing;          // status and warnings of its closing packet
    protocol::bytes closing_payload;
  };

  void packet(std::size_t lane, protocol::bytes_view payload);
  void header_packet(lane_state& s, protocol::bytes_view payload);
  void row_packet(lane_state& s, protocol::bytes_view payload);
  void refuse(const std::string& why);
  bool headers_ready();
  void send_rows();
  std::optional<std::size_t> next_lane() const;
  void send(protocol::bytes_view payload);
  void close();

  const scatter_plan& plan_;
  bool ext_;
  std::size_t max_pending_;
  std::vector<lane_state> lanes_;
  std::vector<sort_key> order_;
  std::size_t visible_ = 0;
  bool header_sent_ = false;
  // The answer's last packet is written (its closing EOF/OK, or an ERR): what lanes send from now
  // on is read and dropped.
  bool closed_ = false;
  bool finished_ = false;
  std::uint64_t skipped_ = 0, sent_ = 0;
  protocol::bytes out_;
  std::uint8_t seq_ = 1;
};

}  // namespace weft::sharding
