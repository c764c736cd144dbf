import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="card max-w-md text-center">
        <p className="text-sm font-semibold text-muted">404</p>
        <h1 className="mt-1 text-xl font-semibold">Page not found</h1>
        <p className="mt-2 text-sm text-muted">This page does not exist, or it belongs to an organization you are not in.</p>
        <Link href="/" className="btn btn-primary mt-4">
          Back to the overview
        </Link>
      </div>
    </main>
  );
}
