/** What a coach sees when it replies: the person's workbook and the conversation so far. */
export interface CoachContext {
  workbook: {
    currentStep: number;
    /** `"<step>.<prompt>"` -> answer, as stored. */
    answers: Record<string, string>;
    completed: boolean;
  };
  /** Recent messages, oldest first, ending with the person's new message. */
  history: { role: 'user' | 'coach'; content: string }[];
  /** A reply not to give again: the one being regenerated. */
  avoid?: string;
}

export interface CoachReply {
  content: string;
  /** Who wrote it, stored with the reply: "offline" or the model's name. */
  provider: string;
}

export interface ReplyOptions {
  /** Stops the coach (the person left); it then throws. */
  signal?: AbortSignal | undefined;
  /** Parts of the reply as the coach writes them, in order; a coach may also answer in one piece without calling it. */
  onDelta?: ((text: string) => void) | undefined;
}

/**
 * A coach that answers one message. Implementations throw when they cannot answer; the chat
 * service turns that into 503 coach_unavailable and keeps the person's message.
 */
export interface CoachProvider {
  readonly name: string;
  reply(context: CoachContext, options?: ReplyOptions): Promise<CoachReply>;
}
