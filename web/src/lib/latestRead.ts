// Reads of one thing that may overlap: the page's first read, a filter's, a live hint's.
// Their answers can come back in any order (a busy server, a slow query), so only the answer
// to the read begun last may reach the screen; an earlier one's, arriving later, would put
// back what the person just filtered away or what has changed since.

/** Begin a read; the returned function says whether it is still the latest begun. */
export type BeginRead = () => () => boolean;

export function latestRead(): BeginRead {
  let begun = 0;
  return () => {
    const mine = ++begun;
    return () => mine === begun;
  };
}
