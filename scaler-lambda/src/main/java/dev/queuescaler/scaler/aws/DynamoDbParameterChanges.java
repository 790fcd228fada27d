package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.ParameterChanges;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The last parameter change as one item of the state table, under a key no target can have ({@value
 * #KEY}: target names are {@code [A-Za-z0-9._-]}).
 */
public final class DynamoDbParameterChanges implements ParameterChanges {

  static final String KEY = "#parameters";
  private static final String TARGET = "target";
  private static final String CHANGED_AT = "changedAt";

  private final DynamoDbClient dynamoDb;
  private final String table;

  public DynamoDbParameterChanges(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  @Override
  public Optional<Instant> lastChange() {
    Map<String, AttributeValue> item;
    try {
      item =
          dynamoDb
              .getItem(request -> request.tableName(table).key(key()).consistentRead(true))
              .item();
    } catch (SdkException e) {
      throw new AwsFailure("GetItem", table + "/" + KEY, e);
    }
    return Optional.ofNullable(item)
        .map(fields -> fields.get(CHANGED_AT))
        .map(value -> Instant.ofEpochMilli(Long.parseLong(value.n())));
  }

  @Override
  public void recordChange(Instant at) {
    String millis = Long.toString(at.toEpochMilli());
    try {
      dynamoDb.putItem(
          request ->
              request
                  .tableName(table)
                  .item(
                      Map.of(
                          TARGET,
                          AttributeValue.fromS(KEY),
                          CHANGED_AT,
                          AttributeValue.fromN(millis)))
                  .conditionExpression("attribute_not_exists(#at) OR #at < :at")
                  .expressionAttributeNames(Map.of("#at", CHANGED_AT))
                  .expressionAttributeValues(Map.of(":at", AttributeValue.fromN(millis))));
    } catch (ConditionalCheckFailedException newerRecorded) {
      // A later change is already recorded; it covers this one.
    } catch (SdkException e) {
      throw new AwsFailure("PutItem", table + "/" + KEY, e);
    }
  }

  private static Map<String, AttributeValue> key() {
    return Map.of(TARGET, AttributeValue.fromS(KEY));
  }
}
