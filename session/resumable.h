// The machinery that lets session/ be written as plain sequential code and still do no I/O.
//
// A session algorithm is a chain of C++20 coroutines (`resumable<T>`). When one needs the outside
// world it `co_await`s an action: the whole chain suspends and the action is handed to whoever
// drives the machine (proxy/'s one driver, or a unit test). The driver performs it, stores the
// outcome as an event and resumes the chain, which reads the event as the awaited value. Nothing
// here knows sockets, threads or clocks: a test drives every path by feeding events.
//
// Nested calls use symmetric transfer (no stack growth). Frames are recycled by the machine that
// owns them (frame_pool), so a statement allocates nothing once a session has warmed up.
#pragma once

#include <coroutine>
#include <cstddef>
#include <concepts>
#include <exception>
#include <new>
#include <utility>
#include <vector>

namespace weft::session {

// Recycles coroutine frames. One pool serves all the sessions of a worker (one thread), so the
// few frame sizes a statement needs stay hot in the cache whichever session runs; blocks are kept
// per size class (64 bytes), a bounded number of each.
class frame_pool {
 public:
  frame_pool() = default;
  frame_pool(const frame_pool&) = delete;
  frame_pool& operator=(const frame_pool&) = delete;
  ~frame_pool() {
    for (auto& bucket : free_) {
      for (void* block : bucket) ::operator delete(block);
    }
  }
  void* allocate(std::size_t size) {
    const auto c = size_class(size);
    if (c >= classes || free_[c].empty()) return ::operator new(c < classes ? (c + 1) * granule : size);
    void* block = free_[c].back();
    free_[c].pop_back();
    return block;
  }
  void release(void* block, std::size_t size) {
    const auto c = size_class(size);
    if (c < classes && free_[c].size() < kept_per_class) {
      free_[c].push_back(block);
    } else {
      ::operator delete(block);
    }
  }

 private:
  static constexpr std::size_t granule = 64;
  static constexpr std::size_t classes = 64;  // frames up to 4 KiB are recycled
  static constexpr std::size_t kept_per_class = 256;
  static std::size_t size_class(std::size_t size) { return (size - 1) / granule; }
  std::vector<void*> free_[classes];
};

// Anything that owns coroutines of this kind exposes its pool (the coroutine's first argument is
// the owner: member coroutines pass `*this`).
template <class Owner>
concept frame_owner = requires(Owner& o) {
  { o.frames() } -> std::same_as<frame_pool&>;
};

namespace detail {

struct promise_base {
  std::coroutine_handle<> continuation = std::noop_coroutine();
  std::exception_ptr failure;

  // The pool pointer is stored in front of the frame (in a slot that keeps the frame aligned as
  // operator new would) so operator delete finds it.
  static constexpr std::size_t header = alignof(std::max_align_t);
  template <frame_owner Owner, class... Args>
  static void* operator new(std::size_t size, Owner& owner, Args&&...) {
    auto& pool = owner.frames();
    auto* memory = static_cast<std::byte*>(pool.allocate(size + header));
    *reinterpret_cast<frame_pool**>(memory) = &pool;
    return memory + header;
  }
  static void operator delete(void* frame, std::size_t size) {
    auto* memory = static_cast<std::byte*>(frame) - header;
    (*reinterpret_cast<frame_pool**>(memory))->release(memory, size + header);
  }

  std::suspend_always initial_suspend() noexcept { return {}; }
  struct final_awaiter {
    bool await_ready() noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
      return self.promise().continuation;
    }
    void await_resume() noexcept {}
  };
  final_awaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() { failure = std::current_exception(); }
};

template <class T>
struct value_holder {
  T value{};
  void return_value(T v) { value = std::move(v); }
  T take() { return std::move(value); }
};
template <>
struct value_holder<void> {
  void return_void() {}
  void take() {}
};

}  // namespace detail

// A coroutine of a session algorithm returning T. Started lazily by co_await (or by a driver
// through start()).
template <class T = void>
class [[nodiscard]] resumable {
 public:
  struct promise_type : detail::promise_base, detail::value_holder<T> {
    resumable get_return_object() { return resumable(std::coroutine_handle<promise_type>::from_promise(*this)); }
  };
  using handle = std::coroutine_handle<promise_type>;

  resumable(resumable&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  resumable& operator=(resumable&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  ~resumable() {
    if (handle_) handle_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
    handle_.promise().continuation = caller;
    return handle_;
  }
  T await_resume() {
    if (handle_.promise().failure) std::rethrow_exception(handle_.promise().failure);
    return handle_.promise().take();
  }

  // For the top of a chain: run until the first action (or the end).
  void start() { handle_.resume(); }
  bool finished() const { return handle_.done(); }
  void rethrow_if_failed() const {
    if (handle_.promise().failure) std::rethrow_exception(handle_.promise().failure);
  }

 private:
  explicit resumable(handle h) : handle_(h) {}
  handle handle_;
};

}  // namespace weft::session
