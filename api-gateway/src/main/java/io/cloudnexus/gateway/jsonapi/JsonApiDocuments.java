package io.cloudnexus.gateway.jsonapi;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudnexus.gateway.problem.Problem;
import io.cloudnexus.gateway.problem.ProblemException;

/**
 * Translates between the services' JSON and JSON:API 1.1 documents, once, at the edge (the services know nothing of
 * JSON:API):
 *
 * <ul>
 *   <li>an object with an {@code id} becomes a resource object: {@code type} from the id's prefix (else the
 *       collection the path names), the other fields as {@code attributes}, {@code links.self};
 *   <li>a listing ({@code {"data": [...], "has_more": ...}}) becomes a collection document with {@code links.self},
 *       {@code links.next} (the same query with {@code starting_after=<last id>}) and {@code meta.has_more}; a whole
 *       list (a bare array, or {@code {"data": [...]}} without {@code has_more}) one whose {@code links.next} is null;
 *   <li>any other object (usage, a ticket) becomes a meta-only document;
 *   <li>problem details become error objects ({@code status}, {@code code}, {@code title}, {@code detail},
 *       {@code source.pointer} for a field, {@code meta.request_id});
 *   <li>a request document {@code {"data": {"type", "id"?, "attributes"}}} becomes the plain attributes object.
 * </ul>
 */
@ApplicationScoped
public class JsonApiDocuments {

    private final ObjectMapper mapper;

    public JsonApiDocuments(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The JSON:API document for a service's answer; null when the answer has no JSON body (204, empty, another
     * media type) and passes as it is.
     */
    public byte[] document(String contentType, byte[] body, String path, String rawQuery) {
        if (body == null || body.length == 0 || contentType == null) {
            return null;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (tree == null || !(tree.isObject() || tree.isArray())) {
            return null;
        }
        if (contentType.startsWith(Problem.MEDIA_TYPE)) {
            return tree.isObject() ? bytes(errors(tree)) : null;
        }
        if (!contentType.startsWith("application/json")) {
            return null;
        }
        ObjectNode document = mapper.createObjectNode();
        document.putObject("jsonapi").put("version", "1.1");
        if (tree.isArray()) {
            // a whole list, not paged (a delivery's attempts)
            collection(document, tree, null, path, rawQuery);
        } else if (tree.path("data").isArray() && !tree.has("id")) {
            // a page ({"data": [...], "has_more"}) or a whole list in "data" (the event catalog)
            collection(document, tree.get("data"), (ObjectNode) tree, path, rawQuery);
        } else if (idOf(tree) != null) {
            document.set("data", resource(tree, ResourceTypes.ofCollection(path), path, true));
        } else {
            document.set("meta", tree);
        }
        return bytes(document);
    }

    /** The error document for problem details (a service's or the gateway's own). */
    public ObjectNode errors(JsonNode problem) {
        ObjectNode document = mapper.createObjectNode();
        document.putObject("jsonapi").put("version", "1.1");
        ArrayNode errors = document.putArray("errors");
        String status = Integer.toString(problem.path("status").asInt(500));
        String type = problem.path("type").asText("");
        String code = type.startsWith(Problem.TYPE_BASE) ? type.substring(Problem.TYPE_BASE.length()) : type;
        JsonNode fields = problem.path("errors");
        if (fields.isArray() && !fields.isEmpty()) {
            for (JsonNode field : fields) {
                ObjectNode error = error(errors, status, code, problem);
                error.put(
                        "detail",
                        field.path("message").asText(problem.path("detail").asText("")));
                if (field.hasNonNull("field")) {
                    error.putObject("source")
                            .put("pointer", pointer(field.path("field").asText()));
                }
                if (field.has("valid_values")) {
                    ((ObjectNode) error.get("meta")).set("valid_values", field.get("valid_values"));
                }
            }
        } else {
            ObjectNode error = error(errors, status, code, problem);
            if (problem.hasNonNull("detail")) {
                error.put("detail", problem.get("detail").asText());
            }
        }
        return document;
    }

    public byte[] errors(Problem problem) {
        return bytes(errors(mapper.valueToTree(problem)));
    }

    /**
     * The plain JSON body for a JSON:API request document sent to {@code path}: its {@code attributes}. 400 for a
     * document that is not one, 409 for a type (or id) that is not the one the path takes, 403 for a client-generated
     * id on a create.
     */
    public byte[] attributes(byte[] body, String method, String path) {
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (IOException e) {
            throw invalid("The body is not valid JSON");
        }
        JsonNode data = tree == null ? null : tree.get("data");
        if (data == null || !data.isObject()) {
            throw invalid(
                    "A JSON:API request document has a 'data' object: {\"data\": {\"type\": ..., \"attributes\": {...}}}");
        }
        JsonNode type = data.get("type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            throw invalid("data.type must be a non-empty string");
        }
        String expected = ResourceTypes.expectedFor(path);
        if (expected != null && !expected.equals(type.asText())) {
            throw new ProblemException(409, "conflict", "Conflict", "data.type must be '" + expected + "' for " + path);
        }
        JsonNode id = data.get("id");
        if (id != null && !id.isNull()) {
            String last = path.substring(path.lastIndexOf('/') + 1);
            if ("POST".equals(method) && ResourceTypes.ofId(last).isEmpty()) {
                throw ProblemException.forbidden("Ids are assigned by the platform: leave data.id out");
            }
            if (!id.isTextual() || !id.asText().equals(last)) {
                throw new ProblemException(409, "conflict", "Conflict", "data.id must be '" + last + "'");
            }
        }
        JsonNode attributes = data.get("attributes");
        if (attributes != null && !attributes.isNull() && !attributes.isObject()) {
            throw invalid("data.attributes must be an object");
        }
        return bytes(attributes == null || attributes.isNull() ? mapper.createObjectNode() : attributes);
    }

    /**
     * A collection document of {@code items}; {@code page} is the listing they came in ({@code has_more} and any other
     * member go to {@code meta}), null for a bare array. Without {@code has_more} the list is whole: no next page.
     */
    private void collection(ObjectNode document, JsonNode items, ObjectNode page, String path, String rawQuery) {
        String collectionType = ResourceTypes.ofCollection(path);
        ArrayNode data = document.putArray("data");
        String lastId = null;
        for (JsonNode item : items) {
            data.add(item.isObject() ? resource(item, collectionType, path, false) : item);
            String id = item.isObject() ? idOf(item) : null;
            lastId = id == null ? lastId : id;
        }
        boolean paged = page != null && page.path("has_more").isBoolean();
        boolean more = paged && page.get("has_more").asBoolean();
        ObjectNode links = document.putObject("links");
        links.put("self", path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
        if (more && lastId != null) {
            links.put("next", path + "?" + withCursor(rawQuery, lastId));
        } else {
            links.putNull("next");
        }
        ObjectNode meta = document.putObject("meta");
        if (paged) {
            meta.put("has_more", more);
        }
        Iterator<Map.Entry<String, JsonNode>> rest = page == null ? Collections.emptyIterator() : page.fields();
        while (rest.hasNext()) {
            Map.Entry<String, JsonNode> field = rest.next();
            if (!field.getKey().equals("data") && !field.getKey().equals("has_more")) {
                meta.set(field.getKey(), field.getValue());
            }
        }
        if (meta.isEmpty()) {
            document.remove("meta");
        }
    }

    private ObjectNode resource(JsonNode item, String collectionType, String path, boolean single) {
        String id = idOf(item);
        String type = ResourceTypes.ofId(id).orElse(collectionType);
        // an item without an id of its own (an attempt, a catalog entry) is named by its number or its event type
        boolean namedByType = !item.has("id") && item.path("type").isTextual();
        ObjectNode resource = mapper.createObjectNode();
        resource.put("type", type == null ? "resources" : type);
        resource.put("id", id);
        ObjectNode attributes = resource.putObject("attributes");
        Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("id") || (namedByType && name.equals("type"))) {
                continue;
            }
            if (name.equals("type")) {
                // "type" cannot be an attribute (it shares the namespace of the resource's own type)
                resource.putObject("meta").set("type", field.getValue());
                continue;
            }
            attributes.set(name, field.getValue());
        }
        String self = single && id != null && path.endsWith("/" + id)
                ? path
                : ResourceTypes.self(type, id).orElse(null);
        if (self != null) {
            resource.putObject("links").put("self", self);
        }
        return resource;
    }

    /** The id a resource object gets: the item's id (an OAuth client's client_id), else its attempt number or its event type. */
    private static String idOf(JsonNode item) {
        JsonNode id = item.has("id") ? item.get("id") : item.get("client_id");
        if (id != null && (id.isTextual() || id.isNumber())) {
            return id.asText();
        }
        if (item.path("attempt").isNumber()) {
            return item.get("attempt").asText();
        }
        if (!item.has("id") && item.path("type").isTextual()) {
            return item.get("type").asText();
        }
        return null;
    }

    private ObjectNode error(ArrayNode errors, String status, String code, JsonNode problem) {
        ObjectNode error = errors.addObject();
        error.put("status", status);
        if (!code.isEmpty()) {
            error.put("code", code);
        }
        if (problem.hasNonNull("title")) {
            error.put("title", problem.get("title").asText());
        }
        ObjectNode meta = error.putObject("meta");
        if (problem.hasNonNull("request_id")) {
            meta.put("request_id", problem.get("request_id").asText());
        }
        return error;
    }

    /** {@code $.name} or {@code spec.node_pools[0].size} → {@code /data/attributes/spec/node_pools/0/size}. */
    static String pointer(String field) {
        String path = field.startsWith("$.") ? field.substring(2) : field.startsWith("$") ? field.substring(1) : field;
        StringBuilder pointer = new StringBuilder("/data/attributes");
        for (String part : path.replaceAll("\\[(\\d+)]", ".$1").split("\\.")) {
            if (!part.isEmpty()) {
                pointer.append('/').append(part.replace("~", "~0").replace("/", "~1"));
            }
        }
        return pointer.toString();
    }

    private static String withCursor(String rawQuery, String lastId) {
        StringBuilder query = new StringBuilder();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                if (!name.equals("starting_after") && !pair.isEmpty()) {
                    query.append(pair).append('&');
                }
            }
        }
        return query.append("starting_after=")
                .append(URLEncoder.encode(lastId, StandardCharsets.UTF_8))
                .toString();
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest(detail);
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
