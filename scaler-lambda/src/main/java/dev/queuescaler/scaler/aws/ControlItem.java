package dev.queuescaler.scaler.aws;

import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * One item of the state table that belongs to the function, not to a target: its key starts with
 * {@code #}, which no target name can ({@code [A-Za-z0-9._-]}).
 */
record ControlItem(DynamoDbClient dynamoDb, String table, String key) {

  private static final String TARGET = "target";

  ControlItem {
    if (!key.startsWith("#")) {
      throw new IllegalArgumentException("a control item's key starts with # but was " + key);
    }
  }

  /** The item's key attribute. */
  Map<String, AttributeValue> keyAttribute() {
    return Map.of(TARGET, AttributeValue.fromS(key));
  }

  /** The item as stored now (a consistent read), empty when there is none. */
  Map<String, AttributeValue> read() {
    try {
      Map<String, AttributeValue> item =
          dynamoDb
              .getItem(request -> request.tableName(table).key(keyAttribute()).consistentRead(true))
              .item();
      return item == null ? Map.of() : item;
    } catch (SdkException e) {
      throw failure("GetItem", e);
    }
  }

  /**
   * Updates this item: {@code expression} adds the update and condition expressions to a request
   * already naming the table and the key. The SDK's exceptions pass through, so that a caller can
   * tell a failed condition from a failed call.
   *
   * @return the item's attributes after the update
   */
  Map<String, AttributeValue> update(Consumer<UpdateItemRequest.Builder> expression) {
    return dynamoDb
        .updateItem(
            request -> {
              request.tableName(table).key(keyAttribute()).returnValues(ReturnValue.ALL_NEW);
              expression.accept(request);
            })
        .attributes();
  }

  /**
   * Replaces this item with {@code attributes} (the key added) when {@code condition} holds; the
   * SDK's exceptions pass through, as for {@link #update}.
   */
  void replace(
      Map<String, AttributeValue> attributes,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(attributes);
    item.putAll(keyAttribute());
    dynamoDb.putItem(
        request ->
            request
                .tableName(table)
                .item(item)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
  }

  /** A failed call on this item, named with the table and the key. */
  AwsFailure failure(String operation, SdkException e) {
    return new AwsFailure(operation, table + "/" + key, e);
  }
}
