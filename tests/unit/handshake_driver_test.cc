// The handshake driver over a real loopback connection: a scripted machine asks for actions, a
// peer thread plays the other side with blocking reads and writes, and the bytes that cross the
// wire are compared with what each action says.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/time.h>

#include <deque>
#include <functional>
#include <stdexcept>
#include <optional>
#include <thread>
#include <utility>

#include <boost/asio/read.hpp>

#include "protocol/errors.h"
#include "protocol/frame.h"
#include "protocol/messages.h"
#include "proxy/handshake_driver.h"

namespace weft::proxy {
namespace {

namespace p = protocol;
using kind = p::handshake_action;

// Answers each packet with the next scripted action and keeps what it was given.
struct scripted_machine final : p::handshake_machine {
  std::deque<p::handshake_action> answers;
  std::vector<std::pair<std::uint8_t, p::bytes>> seen;
  p::handshake_action on_packet(p::bytes_view payload, std::uint8_t sequence_id) override {
    seen.emplace_back(sequence_id, p::bytes(payload.begin(), payload.end()));
    auto next = answers.front();
    answers.pop_front();
    return next;
  }
  p::handshake_action after_tls() override { return {kind::failed, {}, 0, {}}; }
  std::optional<p::handshake_action> second_look;  // what look_again() answers (once)
  std::optional<p::handshake_action> look_again() override { return std::exchange(second_look, std::nullopt); }
};

p::bytes text(std::string_view s) { return p::bytes(s.begin(), s.end()); }

// A connected pair: `ours` for the driver, `theirs` (blocking, on its own context) for the peer.
struct HandshakeDriver : ::testing::Test {
  asio::io_context io, peer_io;
  tcp::socket theirs{peer_io};
  std::optional<stream> ours;
  io_buffer in{64};

  void SetUp() override {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    theirs.connect(acceptor.local_endpoint());
    ours.emplace(acceptor.accept());
    const timeval five_seconds{5, 0};  // a driver that writes nothing fails the test, not hangs it
    ::setsockopt(theirs.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof(five_seconds));
  }
  // The peer's side on its own thread; a read that fails or times out fails the test and hangs up.
  std::thread play(std::function<void()> script) {
    return std::thread([this, script = std::move(script)] {
      try {
        script();
      } catch (const std::exception& e) {
        ADD_FAILURE() << "peer: " << e.what();
        theirs.close();
      }
    });
  }
  // Plain recv() (asio's blocking read would wait out SO_RCVTIMEO in poll()).
  void read_exact(std::uint8_t* into, std::size_t n) {
    for (std::size_t got = 0; got < n;) {
      const auto r = ::recv(theirs.native_handle(), into + got, n - got, 0);
      if (r <= 0) throw std::runtime_error(r == 0 ? "the driver hung up" : "nothing came from the driver");
      got += static_cast<std::size_t>(r);
    }
  }
  std::pair<std::uint8_t, p::bytes> peer_read() {
    std::uint8_t header[4];
    read_exact(header, sizeof header);
    p::bytes payload(header[0] | header[1] << 8 | header[2] << 16);
    read_exact(payload.data(), payload.size());
    return {header[3], payload};
  }
  void peer_write(p::bytes_view payload, std::uint8_t sequence_id) {
    asio::write(theirs, asio::buffer(p::encode_packet(payload, sequence_id)));
  }
  handshake_result run(scripted_machine& machine, p::handshake_action first, handshake_options options) {
    handshake_result result;
    asio::co_spawn(
        io, [&]() -> awaitable<void> { result = co_await run_handshake(machine, first, *ours, in, options); },
        asio::detached);
    io.run();
    return result;
  }
};

TEST_F(HandshakeDriver, WritesReadsAndWritesTheDonePacket) {
  scripted_machine machine;
  machine.answers = {{kind::write_and_read, text("switch"), 2, {}}, {kind::done, text("fast"), 4, {}}};
  auto peer = play([&] {
    EXPECT_EQ(peer_read(), std::make_pair(std::uint8_t{0}, text("greeting")));
    peer_write(text("response"), 1);
    EXPECT_EQ(peer_read(), std::make_pair(std::uint8_t{2}, text("switch")));
    peer_write(text("token"), 3);
    EXPECT_EQ(peer_read(), std::make_pair(std::uint8_t{4}, text("fast")));
  });
  const auto result = run(machine, {kind::write_and_read, text("greeting"), 0, {}}, {});
  peer.join();
  EXPECT_EQ(result.end, handshake_end::done);
  EXPECT_EQ(result.broken, handshake_io::none);
  EXPECT_EQ(result.last_packet, text("token"));  // a backend's OK, as received
  ASSERT_EQ(machine.seen.size(), 2u);
  EXPECT_EQ(machine.seen[0], std::make_pair(std::uint8_t{1}, text("response")));
  EXPECT_EQ(machine.seen[1], std::make_pair(std::uint8_t{3}, text("token")));
}

TEST_F(HandshakeDriver, AFailureIsToldBeforeItsErrIsWritten) {
  scripted_machine machine;
  const auto err = p::encode(p::make_error(p::er::access_denied, "Access denied"));
  machine.answers = {{kind::failed, err, 2, {}}};
  int told = 0;
  handshake_options options;
  options.on_failed = [&](const p::handshake_action& action) {
    ++told;
    EXPECT_EQ(action.payload, err);
  };
  auto peer = play([&] {
    peer_write(text("response"), 1);
    EXPECT_EQ(peer_read(), std::make_pair(std::uint8_t{2}, err));
  });
  const auto result = run(machine, {kind::read, {}, 0, {}}, std::move(options));
  peer.join();
  EXPECT_EQ(result.end, handshake_end::failed);
  EXPECT_EQ(told, 1);
  EXPECT_EQ(result.last.payload, err);
}

TEST_F(HandshakeDriver, AnOversizedLoginPacketGetsBadHandshakeOnALoginPort) {
  scripted_machine machine;  // never asked: the packet is refused before it is whole
  handshake_options options;
  options.max_packet = 100;
  options.answer_unreadable = true;
  auto peer = play([&] {
    const std::uint8_t announces_16_mib[] = {0xff, 0xff, 0xff, 0x01, 'x'};
    asio::write(theirs, asio::buffer(announces_16_mib));
    const auto [seq, answer] = peer_read();
    EXPECT_EQ(seq, 2);
    EXPECT_EQ(p::decode_err_packet(answer)->error_code, 1043);
  });
  const auto result = run(machine, {kind::read, {}, 0, {}}, std::move(options));
  peer.join();
  EXPECT_EQ(result.end, handshake_end::lost);
  EXPECT_EQ(result.broken, handshake_io::read);
  EXPECT_TRUE(machine.seen.empty());
}

TEST_F(HandshakeDriver, APeerThatHangsUpEndsTheExchangeAsLost) {
  scripted_machine machine;
  theirs.close();
  const auto result = run(machine, {kind::read, {}, 0, {}}, {});
  EXPECT_EQ(result.end, handshake_end::lost);
  EXPECT_EQ(result.broken, handshake_io::read);
  EXPECT_TRUE(result.error);
}

TEST_F(HandshakeDriver, TlsWithoutAContextIsLostNotAttempted) {
  scripted_machine machine;
  const auto result = run(machine, {kind::tls_as_client, text("ssl request"), 1, {}}, {});
  EXPECT_EQ(result.end, handshake_end::lost);
  EXPECT_EQ(result.broken, handshake_io::tls);
}

}  // namespace
}  // namespace weft::proxy

namespace weft::proxy {
namespace {

// A refusal the caller thinks may be stale is looked at again before anything is written: the
// peer sees only the second answer. When nothing fresher came, the refusal stands.
void look_again_case(HandshakeDriver& f, bool fresher) {
  scripted_machine machine;
  machine.answers = {{kind::failed, text("denied"), 2, {}}};
  machine.second_look = p::handshake_action{kind::done, text("welcome"), 2, {}};
  int asked = 0, told = 0;
  handshake_options options;
  options.before_refusal = [&](const p::handshake_action& refusal) -> awaitable<bool> {
    EXPECT_EQ(refusal.payload, text("denied"));
    ++asked;
    co_return fresher;
  };
  options.on_failed = [&](const p::handshake_action&) { ++told; };
  auto peer = f.play([&] {
    EXPECT_EQ(f.peer_read(), std::make_pair(std::uint8_t{0}, text("greeting")));
    f.peer_write(text("response"), 1);
    EXPECT_EQ(f.peer_read(), std::make_pair(std::uint8_t{2}, text(fresher ? "welcome" : "denied")));
  });
  const auto result = f.run(machine, {kind::write_and_read, text("greeting"), 0, {}}, options);
  peer.join();
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(result.end, fresher ? handshake_end::done : handshake_end::failed);
  EXPECT_EQ(told, fresher ? 0 : 1);  // a failed login is counted once, when final
}

TEST_F(HandshakeDriver, ARefusalLookedAtAgainWritesOnlyTheSecondAnswer) { look_again_case(*this, true); }
TEST_F(HandshakeDriver, ARefusalWithNothingFresherStands) { look_again_case(*this, false); }

}  // namespace
}  // namespace weft::proxy
