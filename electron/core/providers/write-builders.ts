/**
 * What the outbox needs to build a provider's writes from cached rows (decision 0015): the outbox may
 * import only the providers' top level, and the request shapes live beside each connector's `send`.
 */
export { inboundApp as careerplugInboundApp, prescreenQuestions as careerplugPrescreenQuestions, type PrescreenQuestion } from './careerplug/client.ts';
export { legacyBoardRefusal as jobspaceLegacyBoardRefusal } from './jobspace/capabilities.ts';
