/** The task queue every netops worker polls and every client starts on. */
export const TASK_QUEUE = 'netops';
