package dev.queuescaler.scaler.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Records how many entries each request of one type carries, as a client sends it: how a batched
 * call was cut ({@code PutEvents} entries, {@code DescribeServices} services).
 */
public final class EntriesPerCall<T> implements ExecutionInterceptor {

  private final Class<T> type;
  private final ToIntFunction<T> entries;
  private final List<Integer> sizes = new CopyOnWriteArrayList<>();

  private EntriesPerCall(Class<T> type, ToIntFunction<T> entries) {
    this.type = type;
    this.entries = entries;
  }

  /** Counts {@code entries} of every request of {@code type}; other requests are ignored. */
  public static <T> EntriesPerCall<T> of(Class<T> type, ToIntFunction<T> entries) {
    return new EntriesPerCall<>(type, entries);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (type.isInstance(context.request())) {
      sizes.add(entries.applyAsInt(type.cast(context.request())));
    }
  }

  /** The entries of each call so far, in the order sent. */
  public List<Integer> sizes() {
    return sizes;
  }
}
