package dev.kawari.spi;

import com.typesafe.config.Config;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A monitor type that watches its {@code target} resource with that resource's own {@link
 * Resource#check}, so the monitor block needs no keys of its own and the resource's keys are written
 * once. The target must be a resource of this kit ({@code resourceClass}); anything else is a
 * configuration problem on {@code target}. Kits whose checks batch their reads per tick (one describe
 * for every address of a node) get that batching for their monitors too.
 *
 * <pre>{@code
 * final class PidFileMonitorType extends ResourceCheckMonitorType<PidFileResource> {
 *     PidFileMonitorType() {
 *         super("pid-file", PidFileResource.class, "watches a pid-file resource: the process runs", Set.of());
 *     }
 * }
 * }</pre>
 *
 * @param <R> the kit's resource class
 */
public class ResourceCheckMonitorType<R extends Resource> implements MonitorType {
    private final String id;
    private final String description;
    private final Class<R> resourceClass;
    private final Set<String> iamActions;

    /**
     * @param id the monitor type's id, usually that of the resource type it watches
     * @param resourceClass the class of the resources it may watch
     * @param description one line for {@code kawari kits}
     * @param iamActions the AWS actions the resource's check calls, for {@code kawari iam-policy}
     */
    public ResourceCheckMonitorType(String id, Class<R> resourceClass, String description, Set<String> iamActions) {
        this.id = Objects.requireNonNull(id, "id");
        this.description = Objects.requireNonNull(description, "description");
        this.resourceClass = Objects.requireNonNull(resourceClass, "resourceClass");
        this.iamActions = Set.copyOf(iamActions);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Monitor create(MonitorDefinition definition, KitContext context) {
        Optional<Resource> target = context.resource(definition.target());
        if (target.isPresent() && resourceClass.isInstance(target.get())) {
            return new Watching(resourceClass.cast(target.get()));
        }
        if (target.isPresent()) {
            context.problem("target", "monitor type " + id + " watches " + id + " resources, but '"
                    + definition.target() + "' is " + target.get() + "; use the monitor type of that resource's kit");
        } else {
            // An unknown target, or one whose own block is invalid, is reported by the engine already.
            context.problem("target", "monitor type " + id + " needs a valid " + id + " resource as its target; '"
                    + definition.target() + "' is not one");
        }
        return null;
    }

    @Override
    public final Set<String> iamActions(Config config) {
        return iamActions;
    }

    /** The monitor: the target's check, nothing more. */
    private record Watching(Resource resource) implements Monitor {
        @Override
        public CheckResult check(OperationContext context) throws InterruptedException {
            return resource.check(context);
        }

        @Override
        public String toString() {
            return "check of " + resource;
        }
    }
}
