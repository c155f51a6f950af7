//! RFC 6455 over a raw socket, part two: frames a conforming client never sends. Each
//! fails the connection (§7.1.7) with the code the RFC gives it, and the gateway then hangs
//! up: reserved bits and opcodes (§5.2), unmasked client frames (§5.1), oversized and
//! fragmented control frames (§5.5), stray continuations (§5.4), and Close frames with a
//! code or reason that is not allowed (§5.5.1, §7.4).

mod support;

use support::raw::{
    close_payload, frame, whole, RawSocket, BINARY, CLOSE, CONTINUATION, PING, PONG, TEXT,
};
use support::{spawn, test_config};

/// Sends `bytes` on a fresh socket that said `hello`; returns the Close code the gateway
/// answers with (after checking that it hangs up).
async fn close_code_for(addr: std::net::SocketAddr, bytes: &[u8]) -> u16 {
    let mut socket = RawSocket::ready(addr).await;
    socket.send(bytes).await;
    socket.expect_close().await.0
}

#[actix_web::test]
async fn any_reserved_bit_closes_with_1002() {
    let gateway = spawn(test_config());
    for rsv in 1..=7 {
        let bytes = frame(true, rsv, TEXT, br#"{"type":"sync"}"#, true);
        assert_eq!(
            close_code_for(gateway.addr, &bytes).await,
            1002,
            "rsv {rsv:03b}"
        );
    }
}

#[actix_web::test]
async fn reserved_opcodes_close_with_1002() {
    let gateway = spawn(test_config());
    for opcode in [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf] {
        let bytes = whole(opcode, b"reserved");
        assert_eq!(
            close_code_for(gateway.addr, &bytes).await,
            1002,
            "opcode {opcode:#x}"
        );
    }
}

#[actix_web::test]
async fn an_unmasked_client_frame_closes_with_1002() {
    let gateway = spawn(test_config());
    for opcode in [TEXT, BINARY, PING] {
        let bytes = frame(true, 0, opcode, br#"{"type":"sync"}"#, false);
        let (code, reason) = {
            let mut socket = RawSocket::ready(gateway.addr).await;
            socket.send(&bytes).await;
            socket.expect_close().await
        };
        assert_eq!(code, 1002, "opcode {opcode:#x}");
        assert_eq!(reason, "WebSocket protocol error");
    }
}

#[actix_web::test]
async fn a_control_frame_over_125_bytes_closes_with_1002() {
    let gateway = spawn(test_config());
    for opcode in [PING, PONG, CLOSE] {
        let bytes = whole(opcode, &[b'x'; 126]);
        assert_eq!(
            close_code_for(gateway.addr, &bytes).await,
            1002,
            "opcode {opcode:#x}"
        );
    }
    // 125 bytes is the most a control frame may carry: answered, not refused.
    let mut socket = RawSocket::ready(gateway.addr).await;
    socket.send(&whole(PING, &[b'y'; 125])).await;
    let pong = socket.next_frame().await.unwrap();
    assert_eq!((pong.opcode, pong.payload.len()), (PONG, 125));
}

#[actix_web::test]
async fn a_fragmented_control_frame_closes_with_1002() {
    let gateway = spawn(test_config());
    for opcode in [PING, PONG, CLOSE] {
        let mut bytes = frame(false, 0, opcode, b"half", true);
        bytes.extend(frame(true, 0, CONTINUATION, b"rest", true));
        assert_eq!(
            close_code_for(gateway.addr, &bytes).await,
            1002,
            "opcode {opcode:#x}"
        );
    }
}

#[actix_web::test]
async fn a_continuation_with_no_message_to_continue_closes_with_1002() {
    let gateway = spawn(test_config());
    for fin in [true, false] {
        let bytes = frame(fin, 0, CONTINUATION, b"orphan", true);
        assert_eq!(
            close_code_for(gateway.addr, &bytes).await,
            1002,
            "fin {fin}"
        );
    }
}

#[actix_web::test]
async fn a_new_message_inside_a_fragmented_one_closes_with_1002() {
    let gateway = spawn(test_config());
    for opcode in [TEXT, BINARY] {
        let mut bytes = frame(false, 0, TEXT, br#"{"type":"#, true);
        bytes.extend(whole(opcode, b"interloper"));
        assert_eq!(
            close_code_for(gateway.addr, &bytes).await,
            1002,
            "opcode {opcode:#x}"
        );
    }
}

#[actix_web::test]
async fn close_codes_that_may_not_be_sent_are_answered_with_1002() {
    let gateway = spawn(test_config());
    // §7.4.1: 1004 to 1006 and 1015 are reserved, as is everything under 1000, 1016 to
    // 2999 is for later RFCs, and nothing above 4999 exists.
    for code in [
        0, 999, 1004, 1005, 1006, 1014, 1015, 1016, 1100, 2000, 2999, 5000, 65535,
    ] {
        let bytes = whole(CLOSE, &close_payload(code, b""));
        assert_eq!(
            close_code_for(gateway.addr, &bytes).await,
            1002,
            "code {code}"
        );
    }
}

#[actix_web::test]
async fn close_codes_a_client_may_send_are_echoed_with_their_reason() {
    let gateway = spawn(test_config());
    for code in [
        1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999,
    ] {
        let mut socket = RawSocket::ready(gateway.addr).await;
        socket
            .send(&whole(CLOSE, &close_payload(code, b"done")))
            .await;
        assert_eq!(socket.expect_close().await, (code, "done".to_owned()));
    }
    let mut socket = RawSocket::ready(gateway.addr).await;
    socket.send(&whole(CLOSE, b"")).await;
    let echo = socket.next_frame().await.unwrap();
    assert_eq!(
        (echo.opcode, echo.payload.len()),
        (CLOSE, 0),
        "an empty Close is echoed empty"
    );
    socket.expect_hang_up().await;
}

#[actix_web::test]
async fn a_close_with_a_one_byte_payload_closes_with_1002() {
    let gateway = spawn(test_config());
    let bytes = whole(CLOSE, &[0x03]);
    assert_eq!(close_code_for(gateway.addr, &bytes).await, 1002);
}

#[actix_web::test]
async fn a_close_reason_that_is_not_utf8_closes_with_1007() {
    let gateway = spawn(test_config());
    for reason in [&b"\xff"[..], b"ok\xe2\x82", b"\xed\xa0\x80"] {
        let bytes = whole(CLOSE, &close_payload(1000, reason));
        assert_eq!(
            close_code_for(gateway.addr, &bytes).await,
            1007,
            "reason {reason:x?}"
        );
    }
}

#[actix_web::test]
async fn a_frame_before_hello_that_breaks_the_rfc_closes_the_same_way() {
    let gateway = spawn(test_config());
    let mut socket = RawSocket::open(gateway.addr).await;
    socket.send(&frame(true, 4, BINARY, b"x", true)).await;
    assert_eq!(socket.expect_close().await.0, 1002);
}
