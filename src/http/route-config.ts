// Route options the load shedding reads (http/pressure.ts), in a leaf module so any route can
// set them without depending on the shedding itself.

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Never shed (health checks, metrics). */
    admittedUnderPressure?: boolean;
    /** Left out of the in-flight count: its time is spent waiting outside this process. */
    waitsOutside?: boolean;
  }
}

/** Route config that lets a route through even under pressure (health checks, metrics). */
export const alwaysAdmitted = { admittedUnderPressure: true };
/**
 * Route config for requests that spend most of their time waiting outside this process (the
 * coach's API, an upload's body arriving): they are not work queued for the loop, so they are
 * left out of the in-flight count the admission limit reads.
 */
export const waitsOutside = { waitsOutside: true };
