/** Sentences of docs/protocol.md that rules of more than one profile quote as their basis. */

/** docs/protocol.md, "Bad input". */
export const BAD_INPUT_RULE =
  'Every endpoint and frame handler answers malformed JSON, unknown events, oversize frames, wrong types and unknown ids with the documented error (an HTTP status and code, or `pusher:error`), keeps the connection and its other subscriptions working, and loses no stored event.';
