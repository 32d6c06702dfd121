// The driver's side of the query result cache: a hit is written to the client as the frames the
// backend once sent (one write); a miss notes the cache's generation, and the relay that follows
// copies the response for cache_store.
#include "proxy/command_driver.h"

namespace weft::proxy {

awaitable<session::event> command_driver::answer_from_cache(std::string_view key) {
  auto& cache = *context_.routing.cache;
  const auto kept = cache.find(key, std::chrono::steady_clock::now(), read_generation_);
  if (!kept) co_return session::event{.result = session::outcome::refused};
  const auto& frames = *kept->frames;
  const auto ec = co_await client_.write_all(asio::buffer(frames.data(), frames.size()));
  if (ec) co_return session::event{.result = session::outcome::client_gone};
  co_return session::event{.relayed_bytes = frames.size(), .rows = kept->rows};
}

void command_driver::copy_response(protocol::bytes_view piece) {
  if (copy_overflowed_) return;
  if (response_copy_.size() + piece.size() > context_.routing.cache->max_entry_bytes()) {
    copy_overflowed_ = true;
    protocol::bytes().swap(response_copy_);
    return;
  }
  response_copy_.insert(response_copy_.end(), piece.begin(), piece.end());
}

void command_driver::store_in_cache(const session::action& asked) {
  auto& cache = *context_.routing.cache;
  if (asked.bytes > 0 && !copy_overflowed_ && !response_copy_.empty()) {
    const auto expires = std::chrono::steady_clock::now() + std::chrono::milliseconds(asked.bytes);
    cache.store({std::string(asked.text), std::move(response_copy_), machine_.tracker().rows(), asked.tables,
                 read_generation_, expires});
  }
  protocol::bytes().swap(response_copy_);  // (an idle session keeps no buffer)
  copy_overflowed_ = false;
}

}  // namespace weft::proxy
