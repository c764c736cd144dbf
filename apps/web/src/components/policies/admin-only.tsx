// What a member below ADMIN sees on an editing page: the same 403 card as the audit log.

export function AdminOnly({ title, role, orgName }: { title: string; role: string; orgName: string }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">
        {title}
      </h1>
      <div className="card mt-6 max-w-xl" role="alert" data-testid="forbidden">
        <p className="text-sm font-semibold text-danger">403 · Not allowed</p>
        <p className="mt-2 text-sm">
          Only admins and owners can change policies. Your role in {orgName} is {role.toLowerCase()}.
        </p>
      </div>
    </section>
  );
}
