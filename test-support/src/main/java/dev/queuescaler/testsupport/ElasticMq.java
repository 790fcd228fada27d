package dev.queuescaler.testsupport;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ embedded on loopback: the real SQS protocol, exact and instant counts. */
public final class ElasticMq implements AutoCloseable {

  private final SQSRestServer server;
  private final URI endpoint;

  public ElasticMq() {
    server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    int port = server.waitUntilStarted().localAddress().getPort();
    endpoint = URI.create("http://127.0.0.1:" + port);
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    server.stopAndWait();
  }
}
