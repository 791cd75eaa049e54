// @ts-check

/**
 * Connection requests: what was asked, by whom, its plan, and who approved it.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('connection_requests', table => {
    table.comment('Cross-account EFS connection requests and their approvals');
    table.string('id').primary().notNullable();
    table.string('status').notNullable();
    table.string('requester').notNullable();
    table.string('approver').nullable();
    table.string('file_system_ref').notNullable();
    table.string('cluster_ref').notNullable();
    table.text('spec').notNullable();
    table.text('options').notNullable();
    table.text('plan').notNullable();
    table.text('message').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['status'], 'connection_requests_status_idx');
    table.index(['file_system_ref'], 'connection_requests_file_system_idx');
    table.index(['cluster_ref'], 'connection_requests_cluster_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('connection_requests');
};
