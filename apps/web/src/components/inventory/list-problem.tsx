import Link from "next/link";

/** A refused query (a stale cursor or a hand-edited URL) is the reader's URL, not a server fault. */
export function ListProblem({ message, resetHref, testId }: { message: string; resetHref: string; testId: string }) {
  return (
    <div className="card" role="alert" data-testid={testId}>
      <p className="text-sm text-danger">{message}</p>
      <Link href={resetHref} className="mt-2 inline-block text-sm text-accent underline">
        Start again from the first page
      </Link>
    </div>
  );
}
