package dev.queuescaler.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A UDP listener that speaks the X-Ray daemon protocol: each datagram is the header {@code
 * {"format": "json", "version": 1}}, a newline, then one segment (or subsegment) document.
 */
public final class XRayDaemonListener implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DatagramSocket socket;
  private final List<JsonNode> documents = new ArrayList<>();
  private final List<String> malformed = new ArrayList<>();
  private final Thread receiver;
  private volatile java.util.function.Consumer<JsonNode> onDocument = document -> {};

  public XRayDaemonListener() {
    try {
      socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      // Bursts of segments (a benchmark traces every message) overflow the default buffer.
      socket.setReceiveBufferSize(8 << 20);
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    receiver = new Thread(this::receive, "xray-daemon-listener");
    receiver.setDaemon(true);
    receiver.start();
  }

  /** Calls {@code listener} with every document received from now on. */
  public void onDocument(java.util.function.Consumer<JsonNode> listener) {
    this.onDocument = listener;
  }

  /** {@code 127.0.0.1:port}, for AWS_XRAY_DAEMON_ADDRESS. */
  public String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  private void receive() {
    byte[] buffer = new byte[65_536];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException closed) {
        return;
      }
      String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
      int newline = datagram.indexOf('\n');
      synchronized (documents) {
        try {
          JsonNode header = JSON.readTree(datagram.substring(0, Math.max(newline, 0)));
          if (newline < 0
              || !"json".equals(header.path("format").asText())
              || header.path("version").asInt() != 1) {
            malformed.add(datagram);
          } else {
            JsonNode document = JSON.readTree(datagram.substring(newline + 1));
            documents.add(document);
            onDocument.accept(document);
          }
        } catch (IOException e) {
          malformed.add(datagram);
        }
        documents.notifyAll();
      }
    }
  }

  /** Waits until a received document matches, and returns it. */
  public JsonNode await(Predicate<JsonNode> matching, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (documents) {
      while (true) {
        for (JsonNode document : documents) {
          if (matching.test(document)) {
            return document;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no matching X-Ray document within " + timeout + "; received " + documents);
        }
        documents.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  public List<String> malformed() {
    synchronized (documents) {
      return List.copyOf(malformed);
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
